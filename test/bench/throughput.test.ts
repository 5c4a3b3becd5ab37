import { runThroughput } from '../../src/bench/throughput.js';
import { syntheticSeries } from '../../src/bench/synthetic.js';
import type { Detector, DetectorFactory } from '../../src/detect/types.js';
import { constantDetector } from './support/detectors.js';

/** Remembers every point; snapshot is the count. */
function countingDetector(log: Array<[string, number, number]>): DetectorFactory {
  const create = (ref: { key: string }): Detector => {
    let n = 0;
    return {
      update: (p) => {
        n++;
        log.push([ref.key, p.t, p.v]);
        return constantDetector('c', 0)
          .create(ref as never)
          .update(p);
      },
      snapshot: () => ({ n }),
    };
  };
  return { name: 'counting', create, restore: create };
}

describe('synthetic series', () => {
  it('is deterministic per (seed, index) and differs across them', () => {
    const take = (seed: number, i: number): number[] => {
      const s = syntheticSeries(seed, i);
      return Array.from({ length: 50 }, () => s.next());
    };
    expect(take(1, 0)).toEqual(take(1, 0));
    expect(take(1, 0)).not.toEqual(take(1, 1));
    expect(take(1, 0)).not.toEqual(take(2, 0));
    expect(take(3, 4).every(Number.isFinite)).toBe(true);
  });
});

describe('runThroughput', () => {
  it('feeds every series time step by time step and measures', () => {
    const log: Array<[string, number, number]> = [];
    const r = runThroughput({ factory: countingDetector(log), series: 3, points: 5, seed: 9 });
    expect(r).toMatchObject({ detector: 'counting', series: 3, points: 5, updates: 15 });
    expect(log).toHaveLength(15);
    expect(log.slice(0, 3).map((e) => e[1])).toEqual([log[0]?.[1], log[0]?.[1], log[0]?.[1]]);
    expect(new Set(log.slice(0, 3).map((e) => e[0])).size).toBe(3);
    expect((log[3]?.[1] ?? 0) - (log[0]?.[1] ?? 0)).toBe(60_000);
    expect(r.pointsPerSecond).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeGreaterThan(0);
    expect(r.peakHeapUsedBytes).toBeGreaterThan(0);
    expect(r.stateBytesPerSeries).toEqual({ mean: '{"n":5}'.length, max: '{"n":5}'.length });
    const again: Array<[string, number, number]> = [];
    runThroughput({ factory: countingDetector(again), series: 3, points: 5, seed: 9 });
    expect(again).toEqual(log);
  });

  it('handles more series than a block and rejects bad sizes', () => {
    const r = runThroughput({ factory: constantDetector('c', 0), series: 70_000, points: 2, seed: 1 });
    expect(r.updates).toBe(140_000);
    expect(() => runThroughput({ factory: constantDetector('c', 0), series: 0, points: 2, seed: 1 })).toThrow(
      /positive integers/,
    );
  });
});
