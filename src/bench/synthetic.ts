/**
 * Deterministic synthetic metric series for throughput runs: a level, a daily
 * seasonal cycle, Gaussian noise and rare spikes (about 1 in 500 points),
 * with parameters drawn per series from the seed. Pure (own PRNG state).
 */

/** mulberry32: small, fast, good enough for test data. Returns [0,1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticSeries {
  /** value of the next point */
  next(): number;
}

/** Series `index` of a set generated from `seed`; the same arguments give the same values. */
export function syntheticSeries(seed: number, index: number, period = 1440): SyntheticSeries {
  const rand = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
  const level = 10 + rand() * 990;
  const amplitude = level * (0.05 + rand() * 0.4);
  const noise = level * (0.01 + rand() * 0.05);
  const phase = rand() * 2 * Math.PI;
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  let i = 0;
  return {
    next(): number {
      const seasonal = amplitude * Math.sin((2 * Math.PI * i) / period + phase);
      const spike = rand() < 0.002 ? (rand() < 0.5 ? -1 : 1) * noise * (6 + 6 * rand()) : 0;
      i++;
      return level + seasonal + noise * gauss() + spike;
    },
  };
}
