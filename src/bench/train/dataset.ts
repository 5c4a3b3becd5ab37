/**
 * Turns synthetic series into (window, next value) training pairs,
 * normalised exactly as the online scorer does (detect/learned/normalise.ts).
 * Windows near a series' start are left-padded with the first value,
 * matching how the scorer fills its window before W points have arrived.
 *
 * Pure; memory is N * (W + 1) float32.
 */
import { MIN_HISTORY, nextQuantum, normaliseWindow, squash } from '../../detect/learned/index.js';
import type { Rng } from './rng.js';
import { generateSeries } from './synthetic.js';

export interface Pairs {
  readonly x: Float32Array; // [n, window]
  readonly y: Float32Array; // [n]
  readonly n: number;
  readonly window: number;
}

export interface PairOptions {
  readonly series: number;
  readonly perSeries: number;
  readonly length: number;
  readonly window: number;
}

export function makePairs(rng: Rng, o: PairOptions): Pairs {
  const cap = o.series * o.perSeries;
  const x = new Float32Array(cap * o.window);
  const y = new Float32Array(cap);
  const win = new Float64Array(o.window);
  const sorted = new Float64Array(o.window);
  const row = new Float32Array(o.window);
  const ls = { loc: 0, scale: 1 };
  let n = 0;
  for (let s = 0; s < o.series; s++) {
    const { values, anomaly } = generateSeries(rng, { length: o.length, anomalies: true });
    // quantum[t]: what the scorer knows before seeing values[t]
    const quantum = new Float64Array(o.length);
    for (let t = 2; t < o.length; t++)
      quantum[t] = nextQuantum(quantum[t - 1] as number, values[t - 2] as number, values[t - 1] as number);
    for (let k = 0; k < o.perSeries; k++) {
      const t = rng.int(MIN_HISTORY, o.length);
      if (anomaly[t]) continue; // learn what normally comes next
      for (let i = 0; i < o.window; i++) win[i] = values[Math.max(0, t - o.window + i)] as number;
      sorted.set(win);
      sorted.sort();
      normaliseWindow(win, sorted, quantum[t] as number, row, ls);
      x.set(row, n * o.window);
      y[n] = squash(((values[t] as number) - ls.loc) / ls.scale);
      n++;
    }
  }
  return { x: x.subarray(0, n * o.window), y: y.subarray(0, n), n, window: o.window };
}

/** In-place Fisher-Yates over pairs, with our seeded Rng (TensorFlow.js shuffles with Math.random). */
export function shufflePairs(rng: Rng, p: Pairs): void {
  const w = p.window;
  const tmp = new Float32Array(w);
  for (let i = p.n - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    tmp.set(p.x.subarray(i * w, i * w + w));
    p.x.copyWithin(i * w, j * w, j * w + w);
    p.x.set(tmp, j * w);
    const yi = p.y[i] as number;
    p.y[i] = p.y[j] as number;
    p.y[j] = yi;
  }
}
