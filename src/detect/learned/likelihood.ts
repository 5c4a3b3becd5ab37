/**
 * The learned forecaster as an ensemble SubModel, in one of two roles.
 *
 * Both calibrate the forecaster's standardised residual |z| (series-model.ts)
 * against this series' own history of |z| (stats/tail: conformal body,
 * Pareto tail), fed with the residuals that also feed the residual scale.
 * Per series, not the artifact's population table: that table's tail is set
 * by the wildest training series, so on a calm metric it calls a 30-sigma
 * spike a 1-in-200 event.
 *
 * - 'confirm' (ablation vigil-confirm): no test of its own (weight 0). Its
 *   `pointP` is that tail probability, and the ensemble counts a spike only
 *   as far as the network agrees it is one (intersection-union with the spike
 *   test, types.ts): a point the network forecast from the shape of the last
 *   W values (a recurring burst, the next step of a pattern) is not paged as
 *   a spike. The residual scale and the calibration learn from every
 *   LEARNED_STRIDE-th point, so the network runs only on those and on points
 *   the ensemble asks about.
 * - 'likelihood' (the vigil-full ablation): additionally an anomaly
 *   likelihood in the spirit of HTM's: the evidence is the surprisal -ln p
 *   (~Exp(1) while the series behaves) and the nonconformity its
 *   exponentially weighted mean (~1/ALPHA points), so a run of moderately
 *   surprising points builds evidence while one noisy point is diluted. It
 *   takes the spike test's 1/3 alpha share and scores every point.
 *
 * Not in the default ensemble: on NAB the confirmer lifts 66.92 to 68.03,
 * but all of it in one half of the split check (the other is flat), and it
 * lowers clear spikes whose learned tail is coarser than the spike test's
 * (the demo's 13x error-rate jump: 0.76 -> 0.45, under openAtScore 0.5).
 *
 * Before the forecaster is warmed up there is no pointP (no veto).
 * Contract: scores from state before v, then learns v. Deterministic, and
 * independent of which points were wanted; snapshot/restore continue exactly.
 */
import type { SubModel, SubModelOutput } from '../types.js';
import { TailCalibrator } from '../stats/tail.js';
import type { LearnedSeriesModel } from './types.js';

/** Smoothing of the surprisal (~10 points, as HTM's short window). */
export const LIKELIHOOD_ALPHA = 0.1;
/** Memory of the per-series |z| calibration in points (as the ensemble's own calibrators). */
export const CALIBRATION_POINTS = 10000;
/** The confirmer learns from every LEARNED_STRIDE-th point (see above). */
export const LEARNED_STRIDE = 8;

export type LearnedRole = 'confirm' | 'likelihood';

export interface LearnedSubSnapshot {
  readonly format: 'vigil-learned-sub/2';
  readonly role: LearnedRole;
  readonly m: unknown;
  readonly cal: unknown;
  /** smoothed surprisal (0 for 'confirm') */
  readonly s: number;
}

export class LearnedSub implements SubModel {
  private readonly out: { surprise: number; expected: number; pointP: number | undefined } = {
    surprise: 0,
    expected: 0,
    pointP: undefined,
  };

  constructor(
    private readonly m: LearnedSeriesModel,
    readonly role: LearnedRole,
    private readonly cal: TailCalibrator,
    /** smoothed surprisal */
    private s: number,
  ) {}

  /** Calibrator memory, in residuals, for a model learning from every stride-th point. */
  static memory(stride: number): number {
    return CALIBRATION_POINTS / stride;
  }

  /** `m` from LearnedModel.create(stride): LEARNED_STRIDE for role 'confirm', 1 for 'likelihood'. */
  static create(m: LearnedSeriesModel, role: LearnedRole, stride: number): LearnedSub {
    return new LearnedSub(m, role, TailCalibrator.create(LearnedSub.memory(stride)), 0);
  }

  update(t: number, v: number, wantPoint = true): SubModelOutput {
    const lik = this.role === 'likelihood';
    const u = this.m.update(t, v, wantPoint || lik);
    const o = this.out;
    o.expected = u.expected;
    o.pointP = undefined;
    if (u.ready && Number.isFinite(u.expected)) {
      const a = Math.abs(u.z);
      const p = this.cal.pValue(a);
      if (u.sample) this.cal.add(a);
      if (wantPoint) o.pointP = p;
      if (lik) this.s += LIKELIHOOD_ALPHA * (-Math.log(p) - this.s);
    }
    o.surprise = lik ? 1 - Math.exp(-this.s) : 0;
    return o;
  }

  snapshot(): LearnedSubSnapshot {
    return {
      format: 'vigil-learned-sub/2',
      role: this.role,
      m: this.m.snapshot(),
      cal: this.cal.snapshot(),
      s: this.s,
    };
  }
}
