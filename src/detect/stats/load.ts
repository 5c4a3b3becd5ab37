/**
 * Load test: "does this resource use more than the service's load explains?",
 * the state a deploy that makes every request costlier is in, whatever the
 * time of day. CPU follows traffic: over a working day it swings far more
 * than a regression moves it, so a level test on the raw series sees the
 * morning ramp and not the regression (measured on the independent
 * scenarios: 3 of 11 CPU regressions caught). Against load, the same
 * regression stands 4-19 noise scales above anything else on its series.
 *
 * Model: use = a + b * load, fitted online by exponentially weighted least
 * squares (half-life HALF_LIFE points, so yesterday's traffic mix still
 * counts but last week's does not). Each point updates the fit with its
 * residual clipped at CLIP noise scales (a Huber M-estimator): a spike or
 * the regression itself moves the fit by at most CLIP scales per point
 * times the weight, so the fit learns a new normal over a day, not within
 * the minutes the regression is being judged.
 *
 * Statistic: the median of the last K residuals (each against the fit as it
 * was before its point), in units of the residuals' spread (an EWMA of their
 * Huber-clipped absolute values, as a Gaussian sigma), signed so that
 * positive is the direction the resource fills (more use per request). The
 * spread, not the point-to-point noise (stats/noise.ts) the step and trend
 * tests use: the residual is meant to stay level, and how far its level
 * normally wanders (traffic mix, the fit's own lag) is part of what a
 * regression must stand out from. With the point-to-point scale the brief
 * capacity dip of every rolling deploy stood out as much as a regression
 * (measured: docs/benchmarks.md). One noisy point or one missing
 * load value does not move a median of K. How large is large on this
 * series is its calibrator's business, as for every other model.
 *
 * A point without a load value (no load series, or none at that time)
 * leaves the state alone and gives no statistic (NaN).
 *
 * O(K log K) per point; state 10 + K numbers.
 */
import { bad, nums, obj } from '../state.js';

/** residuals the statistic's median covers */
const K = 5;
/** half-life of the fit's weights, in points (6 h of 1-minute data) */
const HALF_LIFE = 360;
const ALPHA = 1 - Math.pow(0.5, 1 / HALF_LIFE);
/** clip of a residual's pull on the fit, in noise scales */
const CLIP = 3;
/** points of fit before the statistic is given */
const WARM = 30;
/**
 * EWMA rate of the residuals' spread: the fit's own memory. A faster one
 * learned a regression's residuals (clipped at CLIP scales, but every point)
 * as spread within the hour, and the statistic faded while the regression
 * stood.
 */
const B_SPREAD = ALPHA;
/** mean absolute deviation to sigma, for Gaussian residuals */
const MAD_SIGMA = Math.sqrt(Math.PI / 2);

export class LoadTest {
  private readonly tmp = new Float64Array(K);
  /** what the fit expected for the last point, before learning from it (NaN: no load given) */
  predicted = Number.NaN;

  constructor(
    /** fitted points */
    private n: number,
    /** weighted means of load and use */
    private mx: number,
    private my: number,
    /** weighted (co)variances: load-load and load-use */
    private vxx: number,
    private vxy: number,
    /** the residuals' mean absolute value (Huber-clipped EWMA) */
    private dev: number,
    /** the last K residuals, ring buffer: the next one goes to `pos`, `fill` are held */
    private readonly res: Float64Array,
    private pos: number,
    private fill: number,
    /** the direction in which the resource fills (domain/direction fillDirection): 1 up, -1 down */
    readonly sign: 1 | -1 = 1,
  ) {}

  static create(sign: 1 | -1 = 1): LoadTest {
    return new LoadTest(0, 0, 0, 0, 0, 0, new Float64Array(K), 0, 0, sign);
  }

  /** Use the fit expects at this load (the point's expected value when the load test explains it). */
  expected(load: number): number {
    // A ridge term keeps the slope finite while load has not varied yet.
    const b = this.n > 1 ? this.vxy / (this.vxx + 1e-9 * this.mx * this.mx + 1e-12) : 0;
    return this.my + b * (load - this.mx);
  }

  /**
   * Adds (load, use) and returns how far above the load's share of use the
   * last K points are, in noise scales (negative: below it); NaN while the
   * fit is warming up or when `load` is not a finite number.
   */
  update(load: number | undefined, use: number): number {
    this.predicted = Number.NaN;
    if (load === undefined || !Number.isFinite(load)) return Number.NaN;
    if (this.n === 0) {
      this.mx = load;
      this.my = use;
    }
    const yhat = this.expected(load);
    this.predicted = yhat;
    const r = use - yhat;
    const sigma = this.sigma();
    const ar = Math.abs(r);
    this.dev += Math.max(B_SPREAD, 1 / (this.n + 1)) * ((this.n < WARM ? ar : Math.min(ar, CLIP * sigma)) - this.dev);
    this.res[this.pos] = r;
    this.pos = (this.pos + 1) % K;
    if (this.fill < K) this.fill++;
    // Huber: the point pulls the fit by its residual clipped at CLIP scales (unclipped while warming up).
    const lim = CLIP * sigma;
    const rc = this.n < WARM ? r : r > lim ? lim : r < -lim ? -lim : r;
    const a = Math.max(ALPHA, 1 / (this.n + 1));
    const dx = load - this.mx;
    const dy = yhat + rc - this.my;
    this.mx += a * dx;
    this.my += a * dy;
    this.vxx = (1 - a) * (this.vxx + a * dx * dx);
    this.vxy = (1 - a) * (this.vxy + a * dx * dy);
    this.n++;
    if (this.n <= WARM) return Number.NaN;
    const m = this.fill;
    const d = this.tmp.subarray(0, m);
    d.set(this.res.subarray(0, m));
    d.sort();
    const med = m % 2 === 1 ? d[m >> 1]! : (d[m / 2 - 1]! + d[m / 2]!) / 2;
    return (this.sign * med) / this.sigma();
  }

  /** The residuals' spread as a Gaussian sigma (floored, so a perfect fit does not divide by zero). */
  private sigma(): number {
    return Math.max(this.dev * MAD_SIGMA, 1e-9 * (Math.abs(this.my) + 1e-3));
  }

  snapshot(): unknown {
    return {
      f: [this.n, this.mx, this.my, this.vxx, this.vxy, this.pos, this.fill],
      r: Array.from(this.res),
      s: [this.dev],
      d: [this.sign],
    };
  }

  static restore(st: unknown): LoadTest {
    const o = obj(st, 'load');
    const [n = 0, mx = 0, my = 0, vxx = 0, vxy = 0, pos = 0, fill = 0] = nums(o, 'f', 7);
    const index = (i: number): boolean => Number.isInteger(i) && i >= 0 && i <= K;
    if (n < 0 || vxx < 0 || !index(pos) || pos === K || !index(fill)) bad('load fit');
    const r = nums(o, 'r', K);
    const [dev] = nums(o, 's', 1) as [number];
    if (dev < 0) bad('load spread');
    const [d] = nums(o, 'd', 1);
    if (d !== 1 && d !== -1) bad('load direction');
    return new LoadTest(n, mx, my, vxx, vxy, dev, Float64Array.from(r), pos, fill, d);
  }
}
