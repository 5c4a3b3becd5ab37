/**
 * `vigil bench pipeline` on a tiny size, embedded: the real service scores
 * every pushed point exactly once and the report is consistent. Nothing here
 * asserts on timing, only on counts and on the order of the figures.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { runPipelineBench, type PipelineProgress } from '../../../src/bench/pipeline/index.js';
import { harnessFor, pipelineMode, pipelineTable, runPipelineCli } from '../../../src/cli/bench-pipeline.js';
import { loadConfig } from '../../../src/config/index.js';
import { expectConsistent } from './consistent.js';

describe('vigil bench pipeline (embedded)', () => {
  it('pushes 5 series x 5 minutes through the real service and scores each point exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
    const config = loadConfig({ VIGIL_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }, dir);
    const progress: PipelineProgress[] = [];
    const report = await runPipelineBench(
      { series: 5, minutes: 5, seed: 1, sampleMs: 20, onProgress: (p) => progress.push(p) },
      harnessFor(config, { workers: 0, pullIntervalMs: 50, compactEveryMs: 200 }),
    );
    expect(report.mode).toBe('embedded');
    expect(report.compactEveryMs).toBe(200);
    expect(report.workers).toBe(0);
    expectConsistent(report, 5, 5);
    expect(progress.at(-1)).toMatchObject({ total: 25, scored: 25 });
    expect(progress.every((p) => p.pushed <= 25 && p.scored <= 25)).toBe(true);
    expect(pipelineTable(report)).toContain('exactly once: yes');
    expect(pipelineTable(report)).toMatch(
      /memory +service RSS 25\/50\/75\/100% \d+\/\d+\/\d+\/\d+ MB, [+-]\d+\.\d MiB\/h over the second half/,
    );
  });

  it('paced: a measured minute is pushed no sooner than paceMs after the one before, and the machine share is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
    const config = loadConfig({ VIGIL_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }, dir);
    const report = await runPipelineBench(
      { series: 3, minutes: 3, seed: 2, sampleMs: 20, paceMs: 400 },
      harnessFor(config, { workers: 0, pullIntervalMs: 50, compactEveryMs: 200 }),
    );
    expectConsistent(report, 3, 3);
    expect(report.paceMs).toBe(400);
    // The third minute starts 800 ms after the first: the run cannot be shorter.
    expect(report.seconds).toBeGreaterThanOrEqual(0.8);
    expect(report.machineCpu.cores).toBe(cpus().length);
    expect(report.machineCpu.busyShare).toBeGreaterThanOrEqual(0);
    expect(report.machineCpu.busyShare).toBeLessThanOrEqual(1);
    expect(pipelineTable(report)).toMatch(
      /machine cpu +\d+% of \d+ cores busy over the measured minutes, one minute of data every 0\.4 s/,
    );
  });

  it('refuses a --pace that is not a duration', async () => {
    await expect(
      runPipelineCli(
        { series: 1, minutes: 1, seed: 1, warmup: 0, pullInterval: '1s', stallAfter: '10m', pace: 'soon' },
        new PassThrough(),
      ),
    ).rejects.toMatchObject({ code: 'E_BENCH_ARGS', message: expect.stringContaining('--pace "soon"') });
  });

  it('refuses one of DATABASE_URL and REDIS_URL without the other, and --workers without both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
    expect(() => pipelineMode(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, dir), undefined)).toThrow(
      expect.objectContaining({ code: 'E_BENCH_ARGS', message: expect.stringContaining('only REDIS_URL is set') }),
    );
    expect(() => pipelineMode(loadConfig({}, dir), 2)).toThrow(/--workers needs DATABASE_URL and REDIS_URL/);
    expect(pipelineMode(loadConfig({}, dir), undefined)).toEqual({ shared: false, workers: 0 });
    expect(
      pipelineMode(loadConfig({ REDIS_URL: 'redis://h:6379', DATABASE_URL: 'postgres://h/db' }, dir), undefined),
    ).toEqual({ shared: true, workers: 2 });
    expect(() =>
      pipelineMode(loadConfig({ REDIS_URL: 'redis://h:6379', DATABASE_URL: 'postgres://h/db' }, dir), undefined, 5000),
    ).toThrow(/--compact-every applies to the embedded store/);
    expect(pipelineMode(loadConfig({}, dir), undefined, 5000)).toEqual({ shared: false, workers: 0 });
  });
});
