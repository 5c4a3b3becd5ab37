/**
 * Window normalisation shared by training and inference, so the network
 * sees exactly the same numbers in both.
 *
 * A window of W raw values becomes x_i = squash((w_i - loc) / scale) with
 * loc = median and scale = a robust spread (IQR, then mean absolute
 * deviation), floored by the series' quantum (smallest non-zero step seen so
 * far: 1 for counts, the resolution of a rounded metric) and by 1e-3 of the
 * level. Without the quantum floor a window of zeros in a sparse count series
 * would make the next 1 look like a million-sigma event. Location/scale come from
 * the window itself, which makes the model invariant to the level and unit
 * of a metric. `squash` is the identity inside ±SQUASH_KNEE and logarithmic
 * outside it: spikes and level shifts stay ordered and invertible (the model
 * can still tell 10 from 1000 scales) without blowing up the activations.
 */

export const SQUASH_KNEE = 4;
/** Scoring starts once this many points are known; shorter histories are not trained on. */
export const MIN_HISTORY = 8;
/** Largest squashed magnitude; reached only by absurd ratios (> 1e15 scales). */
const SQUASH_CAP = 40;

export function squash(x: number): number {
  const a = Math.abs(x);
  if (a <= SQUASH_KNEE) return x;
  const y = Math.min(SQUASH_KNEE + Math.log1p(a - SQUASH_KNEE), SQUASH_CAP);
  return x < 0 ? -y : y;
}

export function unsquash(y: number): number {
  const a = Math.abs(y);
  if (a <= SQUASH_KNEE) return y;
  const x = SQUASH_KNEE + Math.expm1(Math.min(a, SQUASH_CAP) - SQUASH_KNEE);
  return y < 0 ? -x : x;
}

/** Linear-interpolated quantile of an ascending array (type 7, as numpy/R). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * (pos - lo);
}

export interface LocScale {
  loc: number;
  scale: number;
}

/**
 * Robust location and scale of a window given its values ascending.
 * The fall-backs matter for quantised, count-like and flat metrics, whose IQR
 * is often zero; the relative floor keeps a constant series finite.
 * `quantum` is 0 while unknown.
 */
export function locScaleSorted(sorted: ArrayLike<number>, quantum: number, out: LocScale): LocScale {
  const loc = quantileSorted(sorted, 0.5);
  let scale = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.349;
  if (!(scale > 1e-9 * Math.abs(loc))) {
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) sum += Math.abs((sorted[i] ?? loc) - loc);
    scale = (1.2533 * sum) / sorted.length;
  }
  const floor = Math.max(quantum, 1e-3 * Math.abs(loc), 1e-12);
  out.loc = loc;
  out.scale = scale > floor ? scale : floor;
  return out;
}

/** Writes the network input for `window` (chronological) into `x`; returns loc/scale. */
export function normaliseWindow(
  window: ArrayLike<number>,
  sorted: ArrayLike<number>,
  quantum: number,
  x: Float32Array | Float64Array,
  out: LocScale,
): LocScale {
  locScaleSorted(sorted, quantum, out);
  const inv = 1 / out.scale;
  for (let i = 0; i < window.length; i++) x[i] = squash(((window[i] ?? out.loc) - out.loc) * inv);
  return out;
}

/** Quantum after seeing `prev` then `v`: the smallest non-zero step so far (0 = none yet). */
export function nextQuantum(quantum: number, prev: number, v: number): number {
  const d = Math.abs(v - prev);
  return d > 0 && (quantum === 0 || d < quantum) ? d : quantum;
}
