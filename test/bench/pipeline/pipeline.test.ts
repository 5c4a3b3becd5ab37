/**
 * `vigil bench pipeline` on a tiny size, embedded: the real service scores
 * every pushed point exactly once and the report is consistent. Nothing here
 * asserts on timing, only on counts and on the order of the figures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipelineBench, type PipelineProgress } from '../../../src/bench/pipeline/index.js';
import { harnessFor, pipelineMode, pipelineTable } from '../../../src/cli/bench-pipeline.js';
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
