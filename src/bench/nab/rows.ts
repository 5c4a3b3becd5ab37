/**
 * Per-row NAB values. Pure functions, no effects.
 *
 * Contract (NAB sweeper, see /work/shared/nab/README.md "How NAB scoring works"):
 * - probation P = min(floor(0.15*N), 750): rows i < P are ignored;
 * - inside window [a,b] (W = b-a+1): tpWeight * f(-(b-i+1)/W) / f(-1);
 * - outside windows, before the first window: -fpWeight;
 * - after a window that ended at b' with width W': fpWeight * f((i-b')/(W'-1)).
 * A window of width 1 would divide by zero in NAB; here rows after it get
 * -fpWeight (y = +Infinity). No NAB window is that narrow.
 * Windows must be sorted, non-overlapping, inclusive row-index ranges inside [0, n).
 */

/** An inclusive range of row indices. */
export interface RowWindow {
  readonly start: number;
  readonly end: number;
}

export function probationLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** NAB's scaledSigmoid: 2*sig(-5y)-1 for y <= 3, else -1. */
export function scaledSigmoid(y: number): number {
  return y > 3.0 ? -1.0 : 2 * sigmoid(-5 * y) - 1.0;
}

/** Window index of each row, or -1 outside every window. */
export function windowOfRows(rows: number, windows: readonly RowWindow[]): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  windows.forEach((w, k) => out.fill(k, w.start, w.end + 1));
  return out;
}

/** The value each row would earn if it were a detection. */
export function rowValues(
  rows: number,
  windows: readonly RowWindow[],
  weights: { readonly tpWeight: number; readonly fpWeight: number },
): Float64Array {
  const out = new Float64Array(rows);
  const inWindowScale = scaledSigmoid(-1.0);
  let next = 0;
  let prevEnd = -1;
  let prevWidth = 0;
  for (let i = 0; i < rows;) {
    const w = windows[next];
    if (w !== undefined && i === w.start) {
      const width = w.end - w.start + 1;
      for (; i <= w.end; i++) out[i] = (scaledSigmoid(-(w.end - i + 1) / width) * weights.tpWeight) / inWindowScale;
      prevEnd = w.end;
      prevWidth = width;
      next++;
      continue;
    }
    if (prevEnd < 0) out[i] = -1.0 * weights.fpWeight;
    else {
      const y = prevWidth > 1 ? Math.abs(prevEnd - i) / (prevWidth - 1) : Infinity;
      out[i] = scaledSigmoid(y) * weights.fpWeight;
    }
    i++;
  }
  return out;
}
