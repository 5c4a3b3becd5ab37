/**
 * Conformal tail calibrator: turns a model's nonconformity score a >= 0 into
 * a p-value against that model's own recent history (exponentially decayed,
 * memory ~MEMORY points). Body: log-binned histogram (empirical, conformal
 * "+1"). Tail (top TAIL_Q of mass): Pareto fit by a Hill estimator over the
 * binned exceedances (peaks-over-threshold, as in SPOT), so scores beyond
 * anything seen still rank smoothly instead of tying at 1/n.
 * Cost O(BINS) per point; state BINS+2 numbers. The counts are a
 * Float64Array (no holes, no undefined checks: this runs for every model on
 * every point), and add() reuses the logarithm pValue() took of the same score.
 * Contract: pValue(a) reads only past points; call add(a) afterwards.
 */
import { nums, obj, num, bad } from '../state.js';

const BINS = 96;
const LN_LO = Math.log(0.01);
const STEP = 0.5;
const TAIL_Q = 0.03;
const H_MIN = STEP;

export class TailCalibrator {
  /** decayed counts; w = weight of the next point (grows instead of decaying all counts). */
  constructor(
    private readonly c: Float64Array,
    private w: number,
    private tot: number,
    private readonly decay: number,
  ) {
    this.hi = 0;
    for (let b = BINS - 1; b > 0; b--)
      if (c[b]! > 0) {
        this.hi = b;
        break;
      }
  }

  /** highest non-empty bin (derived from c, so not part of the snapshot) */
  private hi: number;
  /** The last score pValue() was asked about and its logarithm (a cache, not state). */
  private lastA = NaN;
  private lastLn = NaN;

  private ln(a: number): number {
    if (a !== this.lastA) {
      this.lastA = a;
      this.lastLn = a > 0 ? Math.log(a) : -Infinity;
    }
    return this.lastLn;
  }

  static create(memory: number): TailCalibrator {
    return new TailCalibrator(new Float64Array(BINS), 1, 0, 1 - 1 / memory);
  }

  /** Effective number of points seen (decayed). */
  get count(): number {
    return this.tot / this.w;
  }

  private static bin(lnA: number): number {
    if (!(lnA >= LN_LO)) return 0;
    return Math.min(BINS - 1, Math.floor((lnA - LN_LO) / STEP) + 1);
  }

  pValue(a: number): number {
    const tot = this.tot + this.w;
    const lnA = this.ln(a);
    const k = TailCalibrator.bin(lnA);
    const c = this.c;
    // From the highest non-empty bin down: tail threshold bin u and Hill moments.
    let m = 0,
      s1 = 0,
      u = 0,
      b = this.hi;
    for (; b >= 0 && m < TAIL_Q * tot; b--) {
      const cb = c[b]!;
      m += cb;
      s1 += cb * (LN_LO + (b - 0.5) * STEP);
      u = b;
    }
    const lo = LN_LO + Math.max(0, u - 1) * STEP;
    if (m > 0 && lnA >= lo) {
      const h = Math.max(H_MIN, s1 / m - lo);
      return Math.min(1, ((m + this.w) / tot) * Math.exp(-(lnA - lo) / h));
    }
    // Body: mass strictly above bin k, summed from whichever end is shorter.
    let above = 0;
    if (k >= this.hi) above = 0;
    else if (this.hi - k <= k + 1) for (let i = this.hi; i > k; i--) above += c[i]!;
    else {
      let below = 0;
      for (let i = 0; i <= k; i++) below += c[i]!;
      above = Math.max(0, this.tot - below);
    }
    return Math.min(1, (above + 0.5 * c[k]! + this.w) / tot);
  }

  /**
   * Keep only `keep` points' worth of the history (no-op if it holds less):
   * the scores' meaning changed (e.g. the model they come from changed), so
   * the old distribution should only be a weak prior for the new one.
   */
  forget(keep: number): void {
    const n = this.count;
    if (n <= keep) return;
    const f = keep / n;
    for (let b = 0; b < BINS; b++) this.c[b]! *= f;
    this.tot *= f;
  }

  /** `f` in [0, 1]: the point's weight (0: time passes, the score is not learned). */
  add(a: number, f = 1): void {
    const k = TailCalibrator.bin(this.ln(a));
    const w = this.w * f;
    this.c[k]! += w;
    if (k > this.hi && w > 0) this.hi = k;
    this.tot += w;
    this.w /= this.decay;
    if (this.w > 1e100) {
      for (let b = 0; b < BINS; b++) this.c[b]! /= this.w;
      this.tot /= this.w;
      this.w = 1;
    }
  }

  snapshot(): unknown {
    return { c: Array.from(this.c), w: this.w, t: this.tot };
  }

  static restore(s: unknown, memory: number): TailCalibrator {
    const o = obj(s, 'tail');
    const c = nums(o, 'c', BINS);
    const w = num(o, 'w');
    if (w <= 0) bad('tail weight');
    return new TailCalibrator(Float64Array.from(c), w, num(o, 't'), 1 - 1 / memory);
  }
}
