/**
 * Fixed-length sliding window kept both in arrival order (ring) and sorted,
 * so median and quantiles cost O(1) and a push costs two O(W) memmoves
 * instead of a sort per point.
 *
 * Contract: the window is always full. The first value fills every slot
 * (left padding), which is how the network saw short histories in training
 * (see bench/train/dataset.ts). Only finite values may be pushed.
 */
export class SlidingWindow {
  private readonly ring: Float64Array;
  private readonly sortedBuf: Float64Array;
  private head = 0; // index of the oldest value
  private filled = false;

  constructor(readonly size: number) {
    this.ring = new Float64Array(size);
    this.sortedBuf = new Float64Array(size);
  }

  get isEmpty(): boolean {
    return !this.filled;
  }

  push(v: number): void {
    if (!this.filled) {
      this.ring.fill(v);
      this.sortedBuf.fill(v);
      this.filled = true;
      return;
    }
    const old = this.ring[this.head] ?? v;
    this.ring[this.head] = v;
    this.head = (this.head + 1) % this.size;
    const s = this.sortedBuf;
    const n = this.size;
    const i = lowerBound(s, old, n); // s[i] === old: it is in the window
    const j = lowerBound(s, v, n);
    // Plain loops: for a window this small they beat copyWithin's call overhead.
    if (j <= i) {
      for (let k = i; k > j; k--) s[k] = s[k - 1] as number;
      s[j] = v;
    } else {
      // v lands after the removed slot: shift the gap left by one.
      for (let k = i; k < j - 1; k++) s[k] = s[k + 1] as number;
      s[j - 1] = v;
    }
  }

  /** Values oldest first, written into `out` (length >= size). */
  chronological(out: Float64Array): void {
    const r = this.ring,
      n = this.size,
      h = this.head;
    for (let k = h; k < n; k++) out[k - h] = r[k] as number;
    for (let k = 0; k < h; k++) out[n - h + k] = r[k] as number;
  }

  get sorted(): Float64Array {
    return this.sortedBuf;
  }

  get last(): number {
    return this.ring[(this.head + this.size - 1) % this.size] ?? NaN;
  }

  /** Rebuilds from values oldest first (restore path). */
  static from(values: readonly number[]): SlidingWindow {
    const w = new SlidingWindow(values.length);
    values.forEach((v, k) => {
      w.ring[k] = v;
      w.sortedBuf[k] = v;
    });
    w.sortedBuf.sort();
    w.filled = values.length > 0;
    return w;
  }
}

function lowerBound(a: Float64Array, v: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] ?? 0) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
