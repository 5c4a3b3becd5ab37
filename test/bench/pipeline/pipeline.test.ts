/**
 * `vigil bench pipeline` on a tiny size, embedded: the real service scores
 * every pushed point exactly once and the report is consistent. Nothing here
 * asserts on timing, only on counts and on the order of the figures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipelineBench, type PipelineReport, type PipelineProgress } from '../../../src/bench/pipeline/index.js';
import { harnessFor, pipelineMode, pipelineTable } from '../../../src/cli/bench-pipeline.js';
import { loadConfig } from '../../../src/config/index.js';

export function expectConsistent(r: PipelineReport, series: number, minutes: number): void {
  const total = series * minutes;
  expect(r.points).toEqual({ sent: total, accepted: total, duplicates: 0 });
  expect(r.scored).toBe(total);
  expect(r.seriesComplete).toBe(series);
  expect(r.scoredExactlyOnce).toBe(true);
  expect(r.scoreLatency.samples).toBe(total);
  for (const l of [r.scoreLatency, r.notifyLatency]) {
    if (l.samples === 0) { expect([l.p50Ms, l.p99Ms, l.maxMs]).toEqual([null, null, null]); continue; }
    expect(l.p50Ms).toBeGreaterThanOrEqual(0);
    expect(l.p99Ms).toBeGreaterThanOrEqual(l.p50Ms!);
    expect(l.maxMs).toBeGreaterThanOrEqual(l.p99Ms!);
  }
  expect(r.notifyLatency.samples).toBeLessThanOrEqual(r.incidents);
  expect(r.processes.length).toBe(r.workers + 1);
  for (const p of r.processes) {
    expect(p.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(p.peakRssBytes).toBeGreaterThan(0);
  }
  expect(r.cpu.seconds).toBeCloseTo(r.processes.reduce((n, p) => n + p.cpuSeconds, 0), 6);
  expect(r.cpu.perThousandPoints).toBeCloseTo((r.cpu.seconds / total) * 1000, 6);
  expect(r.pointsPerSecond).toBeCloseTo(total / r.seconds, 6);
}

describe('vigil bench pipeline (embedded)', () => {
  it('pushes 5 series x 5 minutes through the real service and scores each point exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
    const config = loadConfig({ VIGIL_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }, dir);
    const progress: PipelineProgress[] = [];
    const report = await runPipelineBench(
      { series: 5, minutes: 5, seed: 1, sampleMs: 20, onProgress: (p) => progress.push(p) },
      harnessFor(config, { workers: 0, pullIntervalMs: 50 }),
    );
    expect(report.mode).toBe('embedded');
    expect(report.workers).toBe(0);
    expectConsistent(report, 5, 5);
    expect(progress.at(-1)).toMatchObject({ total: 25, scored: 25 });
    expect(progress.every((p) => p.pushed <= 25 && p.scored <= 25)).toBe(true);
    expect(pipelineTable(report)).toContain('exactly once: yes');
  });

  it('refuses one of DATABASE_URL and REDIS_URL without the other, and --workers without both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-'));
    expect(() => pipelineMode(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, dir), undefined))
      .toThrow(expect.objectContaining({ code: 'E_BENCH_ARGS', message: expect.stringContaining('only REDIS_URL is set') }));
    expect(() => pipelineMode(loadConfig({}, dir), 2)).toThrow(/--workers needs DATABASE_URL and REDIS_URL/);
    expect(pipelineMode(loadConfig({}, dir), undefined)).toEqual({ shared: false, workers: 0 });
    expect(pipelineMode(loadConfig({ REDIS_URL: 'redis://h:6379', DATABASE_URL: 'postgres://h/db' }, dir), undefined)).toEqual({ shared: true, workers: 2 });
  });
});
