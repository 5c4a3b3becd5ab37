/** What every pipeline benchmark report must satisfy, whatever the machine's speed: counts, and the order of figures, never their size. */
import type { PipelineReport } from '../../../src/bench/pipeline/index.js';

export function expectConsistent(r: PipelineReport, series: number, minutes: number): void {
  const total = series * minutes;
  expect(r.points).toEqual({ sent: total, accepted: total, duplicates: 0 });
  expect(r.scored).toBe(total);
  expect(r.seriesComplete).toBe(series);
  expect(r.scoredExactlyOnce).toBe(true);
  expect(r.scoreLatency.samples).toBe(total);
  for (const l of [r.scoreLatency, r.pushLatency, r.notifyLatency]) {
    if (l.samples === 0) {
      expect([l.p50Ms, l.p99Ms, l.maxMs]).toEqual([null, null, null]);
      continue;
    }
    expect(l.p50Ms).toBeGreaterThanOrEqual(0);
    expect(l.p99Ms).toBeGreaterThanOrEqual(l.p50Ms!);
    expect(l.maxMs).toBeGreaterThanOrEqual(l.p99Ms!);
  }
  expect(r.notifyLatency.samples).toBeLessThanOrEqual(r.incidents);
  expect(r.pushLatency.samples).toBe(minutes * Math.ceil(series / 1000));
  expect(r.processes.length).toBe(r.workers + 1);
  for (const p of r.processes) {
    expect(p.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(p.peakRssBytes).toBeGreaterThan(0);
    // One RSS per measured minute; the summary reads that trace. Not compared with the peak: Linux updates the
    // high-water mark getrusage reports lazily, and a sample of a worker was seen 60 KB above the peak read later.
    expect(p.rssTraceBytes).toHaveLength(minutes);
    expect(p.rssTraceBytes.every((b) => b > 0)).toBe(true);
    expect(p.memory.rssAtBytes?.[3]).toBe(p.rssTraceBytes.at(-1));
  }
  // Each series' detector is made once, at its first job; later jobs find it in memory or in the store.
  const resumed = r.processes.map((p) => p.detectors);
  expect(resumed.reduce((n, d) => n + d.new, 0)).toBe(series);
  expect(resumed.reduce((n, d) => n + d.memory + d.caughtUp + d.store + d.new, 0)).toBeLessThanOrEqual(total);
  expect(r.cpu.seconds).toBeCloseTo(
    r.processes.reduce((n, p) => n + p.cpuSeconds, 0),
    6,
  );
  expect(r.cpu.perThousandPoints).toBeCloseTo((r.cpu.seconds / total) * 1000, 6);
  expect(r.pointsPerSecond).toBeCloseTo(total / r.seconds, 6);
}
