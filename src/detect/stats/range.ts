/**
 * Range novelty (the "spatial anomaly" of NAB's HTM detector, stated as a
 * conformal test). A value beyond everything seen so far, by more than
 * `tol` of the running [min, max] range, is an "excursion" of size
 * e = excess / range. Its p-value is the conformal rank of e among the
 * excursions of the n past points (non-excursions count as size 0):
 * p = (1 + #{past excursions >= e}) / (n + 1). A first-of-its-kind burst in
 * a long history gets p ~ 1/n, even in heavy-tailed series whose earlier,
 * smaller bursts already fill the tail of the other models' calibrators;
 * light-tailed noise and trends, which keep setting small records, do not.
 * Only the TOP largest past excursions are kept (a count beyond them is
 * a lower bound, which only matters once p is already weak).
 * O(TOP) per excursion, O(1) otherwise; state [lo, hi, n] + <= TOP sizes.
 * Contract: pValue(v) reads only past points; call add(v) afterwards.
 */
import { bad, nums, obj } from '../state.js';

/** minimum past points before an extreme means anything */
const MIN_N = 10;
const TOP = 32;
const abs = Math.abs;

export class RangeNovelty {
  constructor(
    private lo: number,
    private hi: number,
    private n: number,
    /** sizes of the largest past excursions, descending */
    private readonly ex: number[],
    readonly tol: number,
  ) {}

  static create(tol: number): RangeNovelty {
    return new RangeNovelty(0, 0, 0, [], tol);
  }

  /** Signed excursion beyond the range in units of the range (> 0 above, < 0 below, 0 inside the margin). */
  excess(v: number): number {
    if (this.n < MIN_N) return 0;
    const r = this.hi - this.lo;
    const m = this.tol * r;
    if (v > this.hi + m) return r > 0 ? (v - this.hi) / r : 1;
    if (v < this.lo - m) return r > 0 ? -(this.lo - v) / r : -1;
    return 0;
  }

  pValue(v: number): number {
    const e = abs(this.excess(v));
    if (e === 0) return 1;
    let k = 0;
    while (k < this.ex.length && this.ex[k]! >= e) k++;
    return (1 + k) / (this.n + 1);
  }

  add(v: number): void {
    const e = abs(this.excess(v));
    if (e > 0) {
      let k = 0;
      while (k < this.ex.length && this.ex[k]! >= e) k++;
      if (k < TOP) {
        this.ex.splice(k, 0, e);
        if (this.ex.length > TOP) this.ex.pop();
      }
    }
    if (this.n === 0 || v < this.lo) this.lo = v;
    if (this.n === 0 || v > this.hi) this.hi = v;
    this.n++;
  }

  snapshot(): unknown {
    return { s: [this.lo, this.hi, this.n], e: [...this.ex] };
  }

  static restore(st: unknown, tol: number): RangeNovelty {
    const o = obj(st, 'range');
    const s = nums(o, 's', 3);
    const e = nums(o, 'e');
    if (e.length > TOP) bad('range excursions');
    return new RangeNovelty(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, [...e], tol);
  }
}
