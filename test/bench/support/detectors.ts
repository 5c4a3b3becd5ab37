/** Test-only detectors for the bench suites: constant, seeded random, and a simple |z| scorer. */
import type { Point, Score, SeriesRef } from '../../../src/domain/index.js';
import type { Detector, DetectorFactory } from '../../../src/detect/types.js';

const score = (value: number, expected = 0): Score => ({
  value,
  expected,
  band: [expected, expected],
  kind: null,
  confidence: 1,
  contributors: [],
});

function factory(name: string, make: (ref: SeriesRef) => (p: Point) => number): DetectorFactory {
  const create = (ref: SeriesRef): Detector => {
    const f = make(ref);
    return { update: (p) => score(f(p)), snapshot: () => ({}) };
  };
  return { name, create, restore: create };
}

/** Always `value`; the null detector is constant(0). */
export const constantDetector = (name: string, value: number): DetectorFactory => factory(name, () => () => value);

/** mulberry32, shared with the throughput benchmark's data. */
import { mulberry32 as rng } from '../../../src/bench/index.js';
export { rng };

/** Uniform random scores, a fresh seeded generator per series. */
export const randomDetector = (name: string, seed: number): DetectorFactory => factory(name, () => rng(seed));

/** min(1, |v - mean| / (8 * sd)) over a running mean/variance; deterministic, records the refs it saw. */
export function zDetector(name: string, seen: SeriesRef[] = []): DetectorFactory {
  return factory(name, (ref) => {
    seen.push(ref);
    let n = 0,
      mean = 0,
      m2 = 0;
    return (p) => {
      const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
      const z = sd > 0 ? Math.abs(p.v - mean) / sd : 0;
      n++;
      const d = p.v - mean;
      mean += d / n;
      m2 += d * (p.v - mean);
      return Math.min(1, z / 8);
    };
  });
}
