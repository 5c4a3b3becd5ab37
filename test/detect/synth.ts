/** Seeded synthetic series for detector tests (no Math.random: tests stay deterministic). */
import type { Point } from '../../src/domain/index.js';

import { mulberry32 as rng } from '../../src/bench/index.js';
export { rng };

export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

export const T0 = Date.UTC(2024, 0, 1);
export const STEP = 300_000;

/** n points every 5 min: level 100 + daily sine (amp) + N(0, sd), transformed by `f(i, v)`. */
export function series(
  n: number,
  seed: number,
  f: (i: number, v: number, r: () => number) => number = (_i, v) => v,
  amp = 0,
  sd = 1,
): Point[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const t = T0 + i * STEP;
    const base = 100 + amp * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000) + sd * gauss(r);
    return { t, v: f(i, base, r) };
  });
}
