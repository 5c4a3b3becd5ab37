/**
 * The statistical models, sharing one deseasonalised view of the series.
 * x = v - seasonal offset(t). Nonconformity scores (>= 0, larger = stranger),
 * each with the AnomalyKind it would explain:
 *   spike     |x - fast level| / fast sigma              -> spike | dip
 *   shift     |medium level - slow level| / slow sigma   -> level_shift | trend
 *   cusum     two-sided CUSUM of clipped slow z (k=0.5)  -> level_shift
 *   variance  short-term (outliers clipped) / long-term mean abs deviation -> variance
 *   season    |smoothed residual vs seasonal expectation| -> seasonal_break
 * Scores are computed from state before the point, then state is updated.
 * O(1) per point.
 */
import type { AnomalyKind } from '../../domain/index.js';
import { RobustLevel } from './level.js';
import { Season } from './season.js';
import { nums, obj } from '../state.js';

export const STAT_MODELS = ['spike', 'shift', 'cusum', 'variance', 'season'] as const;
export type StatModel = (typeof STAT_MODELS)[number];

export interface StatOut {
  /** nonconformity per STAT_MODELS entry */
  readonly a: Float64Array;
  readonly kinds: AnomalyKind[];
  readonly expected: number;
  readonly sigma: number;
  /** the point as the models saw it: value minus the seasonal offset */
  readonly x: number;
}

const A_FAST = 0.3,
  B_FAST = 0.01;
const A_MED = 0.1;
const A_SLOW = 0.01,
  B_SLOW = 0.005;
const B_VSHORT = 0.1,
  B_VLONG = 0.005;
const V_CLIP = 6;
const CUSUM_K = 0.5,
  Z_CLIP = 6;
const A_SEAS = 0.3;

export class StatCore {
  private readonly out: StatOut = {
    a: new Float64Array(STAT_MODELS.length),
    kinds: ['spike', 'level_shift', 'level_shift', 'variance', 'seasonal_break'],
    expected: 0,
    sigma: 0,
    x: 0,
  };

  constructor(
    private readonly fast: RobustLevel,
    private readonly med: RobustLevel,
    private readonly slow: RobustLevel,
    private readonly sres: RobustLevel,
    readonly season: Season,
    private readonly cs: number[],
    private readonly prevSlope: number[],
    /** subtract the seasonal offset before the other models see the value */
    private readonly deseason: boolean,
  ) {}

  static create(deseason = true): StatCore {
    const L = RobustLevel.create;
    return new StatCore(L(), L(), L(), L(), Season.create(), [0, 0, 0, 0], [0], deseason);
  }

  update(t: number, v: number): StatOut {
    const seas = this.season.offset(t);
    const off = this.deseason ? seas : 0;
    const x = v - off;
    const o = this.out,
      a = o.a,
      k = o.kinds;
    const first = this.fast.n === 0;
    // spike
    const rf = first ? 0 : x - this.fast.level;
    const sf = this.fast.sigma();
    a[0] = Math.abs(rf) / sf;
    k[0] = rf >= 0 ? 'spike' : 'dip';
    // shift (medium vs slow)
    const ss = this.slow.sigma();
    const d = this.med.level - this.slow.level;
    a[1] = first ? 0 : Math.abs(d) / ss;
    const slope = this.med.level - (this.prevSlope[0] ?? this.med.level);
    k[1] = Math.abs(slope) * 20 > Math.abs(d) && Math.sign(slope) === Math.sign(d) ? 'trend' : 'level_shift';
    // cusum on slow z
    const z = first ? 0 : Math.max(-Z_CLIP, Math.min(Z_CLIP, (x - this.slow.level) / ss));
    const gp = Math.max(0, (this.cs[0] ?? 0) + z - CUSUM_K);
    const gn = Math.max(0, (this.cs[1] ?? 0) - z - CUSUM_K);
    this.cs[0] = gp;
    this.cs[1] = gn;
    a[2] = Math.max(gp, gn);
    // variance: short vs long mean abs deviation of the fast residual
    const cs = this.cs,
      n = this.fast.n;
    if (!first) {
      const ar = Math.abs(rf);
      // Huber-clipped like RobustLevel's scale (at 2K = 6 long-run deviations): one outlier is the
      // spike test's business, so alone it lifts the short-term spread by at most B_VSHORT * 6 and the
      // variance test answers to a sustained change in spread, not to the spike a second time.
      const arc = n > 3 ? Math.min(ar, V_CLIP * Math.max(cs[3] ?? 0, 1e-12)) : ar;
      cs[2] = (cs[2] ?? 0) + Math.max(B_VSHORT, 1 / n) * (arc - (cs[2] ?? 0));
      a[3] = (cs[2] ?? 0) / Math.max(cs[3] ?? 0, 1e-6 * sf);
      cs[3] = (cs[3] ?? 0) + Math.max(B_VLONG, 1 / n) * (ar - (cs[3] ?? 0));
    } else a[3] = 0;
    // A mean shift smaller than the new spread, with the spread up 2x, is a variance change.
    k[2] = 'level_shift';
    if (a[3] > 2 && Math.abs(d) < (cs[2] ?? 0)) {
      k[1] = 'variance';
      k[2] = 'variance';
    }
    // seasonal break: smoothed residual of raw v against seasonal expectation
    const rs = this.season.active ? v - (this.slow.level + seas - off) : 0;
    this.sres.update(rs, A_SEAS, B_SLOW);
    a[4] = this.season.active ? Math.abs(this.sres.level) / Math.max(this.sres.sigma(), 1e-9) : 0;
    // learn
    this.prevSlope[0] = this.med.level;
    this.fast.update(x, A_FAST, B_FAST);
    this.med.update(x, A_MED, B_FAST);
    this.slow.update(x, A_SLOW, B_SLOW);
    this.season.update(t, v, this.slow.level);
    (o as { expected: number }).expected = (first ? v : this.fast.level) + off;
    (o as { sigma: number }).sigma = sf;
    (o as { x: number }).x = x;
    return o;
  }

  /** Expected value and sigma for a point that cannot be scored. */
  peek(t: number): { expected: number; sigma: number } {
    return { expected: this.fast.level + (this.deseason ? this.season.offset(t) : 0), sigma: this.fast.sigma() };
  }

  snapshot(): unknown {
    const l = [this.fast, this.med, this.slow, this.sres].flatMap((r) => r.snapshot());
    return { l, cs: [...this.cs], ps: [...this.prevSlope], season: this.season.snapshot() };
  }

  static restore(st: unknown, deseason = true): StatCore {
    const o = obj(st, 'stats');
    const l = nums(o, 'l', 12);
    const L = (i: number): RobustLevel => RobustLevel.restore(l.slice(3 * i, 3 * i + 3));
    return new StatCore(
      L(0),
      L(1),
      L(2),
      L(3),
      Season.restore(o.season),
      [...nums(o, 'cs', 4)],
      [...nums(o, 'ps', 1)],
      deseason,
    );
  }
}
