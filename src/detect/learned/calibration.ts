/**
 * Maps a standardised residual |z| to a two-sided tail probability using
 * an empirical CDF measured on normal synthetic data (knots), linear between
 * knots and a power-law (Pareto) tail beyond the last knot. Empirical rather
 * than Gaussian because forecast residuals are heavy-tailed: a Gaussian tail
 * would call every third bump "1 in a million". Training fits the table
 * (src/bench/train/calibration.ts); the tail index is a Hill estimate on the
 * same pooled residuals. Power-law rather than exponential also keeps large residuals apart (an
 * exponential tail reaches 1e-16, i.e. surprise === 1, after a few dozen
 * scales; consumers rank these values).
 */

export interface CalibrationTable {
  readonly z: readonly number[];
  readonly p: readonly number[];
  /** Pareto index k of the tail beyond the last knot: tail ∝ |z|^-k. */
  readonly tailIndex: number;
}

export class Calibrator {
  private readonly z: Float64Array;
  private readonly p: Float64Array;
  private readonly tailP: number;
  private readonly tailZ: number;
  private readonly tailIndex: number;

  constructor(table: CalibrationTable) {
    this.z = Float64Array.from(table.z);
    this.p = Float64Array.from(table.p);
    const n = this.z.length;
    // q(z) = q_last * (z / z_last)^-k, continuous at the last knot.
    this.tailZ = this.z[n - 1] as number;
    this.tailP = 1 - (this.p[n - 1] as number);
    this.tailIndex = table.tailIndex;
  }

  /** Two-sided exceedance probability P(|Z| >= |z|) in (0, 1]. */
  tail(absZ: number): number {
    const z = this.z;
    if (!(absZ > 0)) return 1;
    if (absZ >= this.tailZ) return this.tailP * Math.pow(absZ / this.tailZ, -this.tailIndex);
    let i = 0;
    while (absZ >= (z[i] as number)) i++;
    const z0 = i === 0 ? 0 : (z[i - 1] as number);
    const p0 = i === 0 ? 0 : (this.p[i - 1] as number);
    const z1 = z[i] as number;
    const p1 = this.p[i] as number;
    return 1 - (p0 + ((p1 - p0) * (absZ - z0)) / (z1 - z0));
  }

  /** Inverse of `tail`: the |z| exceeded with probability q. */
  quantile(q: number): number {
    if (q <= this.tailP) return this.tailZ * Math.pow(this.tailP / Math.max(q, 1e-300), 1 / this.tailIndex);
    const cdf = 1 - q;
    let i = 0;
    while (cdf > (this.p[i] as number)) i++;
    const z0 = i === 0 ? 0 : (this.z[i - 1] as number);
    const p0 = i === 0 ? 0 : (this.p[i - 1] as number);
    return z0 + (((this.z[i] as number) - z0) * (cdf - p0)) / ((this.p[i] as number) - p0);
  }
}
