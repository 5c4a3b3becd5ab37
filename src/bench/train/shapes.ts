/**
 * Building blocks of the synthetic training series: seasonal profiles and
 * noise processes, each a pure function of an Rng. Unit amplitude; the
 * generator (synthetic.ts) scales and combines them.
 */
import type { Rng } from './rng.js';

export type Profile = (phase: number) => number; // phase in [0, 1)

/** A random periodic shape, zero-mean-ish, peak-to-peak about 2. */
export function randomProfile(rng: Rng): Profile {
  const kind = rng.pick(['sine', 'harmonics', 'square', 'sawtooth', 'pulse', 'business'] as const);
  switch (kind) {
    case 'sine':
      return (p) => Math.sin(2 * Math.PI * p);
    case 'harmonics': {
      const k = rng.int(2, 6);
      const amps = Array.from({ length: k }, (_, i) => rng.normal() / (i + 1));
      const phases = Array.from({ length: k }, () => rng.next());
      const norm = Math.max(
        1e-3,
        amps.reduce((s, a) => s + Math.abs(a), 0),
      );
      return (p) =>
        amps.reduce((s, a, i) => s + a * Math.sin(2 * Math.PI * ((i + 1) * p + (phases[i] ?? 0))), 0) / norm;
    }
    case 'square': {
      const duty = rng.uniform(0.15, 0.7);
      const edge = rng.uniform(0.005, 0.08); // smoothed edges: real load ramps
      return (p) => 2 * smoothStep(p, 0, duty, edge) - 1;
    }
    case 'sawtooth':
      return rng.chance(0.5) ? (p) => 2 * p - 1 : (p) => 1 - 2 * p;
    case 'pulse': {
      // batch jobs, cron peaks: narrow bumps once per period
      const width = rng.uniform(0.01, 0.12);
      return (p) => 2 * Math.exp(-0.5 * ((p - 0.5) / width) ** 2) - 0.3;
    }
    case 'business': {
      // day/night: plateau with ramps, a lunch dip sometimes
      const start = rng.uniform(0.2, 0.4);
      const end = rng.uniform(0.65, 0.9);
      const dip = rng.chance(0.4) ? rng.uniform(0.1, 0.4) : 0;
      return (p) => 2 * smoothStep(p, start, end, 0.04) - 1 - dip * Math.exp(-0.5 * ((p - 0.52) / 0.02) ** 2);
    }
  }
}

function smoothStep(p: number, from: number, to: number, edge: number): number {
  const up = 1 / (1 + Math.exp(-(p - from) / edge));
  const down = 1 / (1 + Math.exp((p - to) / edge));
  return up * down;
}

/** Noise draw with a random tail: Gaussian, Student-t(3) or Laplace, unit scale. */
export function randomNoise(rng: Rng): () => number {
  const kind = rng.pick(['gauss', 'gauss', 'gauss', 't3', 'laplace'] as const);
  if (kind === 'gauss') return () => rng.normal();
  if (kind === 'laplace') {
    return () => {
      const u = rng.next() - 0.5;
      return (-Math.sign(u) * Math.log(1 - 2 * Math.abs(u))) / Math.SQRT2;
    };
  }
  return () => {
    const z = rng.normal();
    let chi = 0;
    for (let i = 0; i < 3; i++) chi += rng.normal() ** 2;
    return z / Math.sqrt(chi / 3) / Math.sqrt(3);
  };
}

/** Poisson sample; normal approximation above 40 keeps it O(1). */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
