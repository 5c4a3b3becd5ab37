import type { Point, Score, SeriesRef } from '../domain/index.js';

/** Parameters of the page-once policy (detect/policy.ts PageOnce). */
export interface PageOnceParams {
  readonly arm: number;
  readonly damp: number;
  readonly refractory: number;
  readonly quietLevel: number;
  readonly quietRun: number;
}

/**
 * Online anomaly detector for one series. `update` is called once per point
 * in time order; the same sequence of points always gives the same scores.
 * `snapshot()` returns JSON-serialisable state that `DetectorFactory.restore`
 * turns back into a detector that continues exactly where this one stopped.
 * `load` is the service's load at point.t (its request rate), when the
 * pull brought it: detectors that judge a resource against load read it
 * (detect/stats/load), the others ignore it.
 */
export interface Detector {
  update(point: Point, load?: number): Score;
  snapshot(): unknown;
}

export interface DetectorFactory {
  /** Name for logs, benchmarks and the model card. */
  readonly name: string;
  /**
   * The page-once policy (detect/policy.ts) `vigil bench nab` writes this
   * detector's scores through; absent: raw scores. Never applied in operation.
   */
  readonly pagePolicy?: PageOnceParams;
  create(ref: SeriesRef): Detector;
  /** Throws VigilError E_DETECTOR_STATE when the snapshot is not one of ours. */
  restore(ref: SeriesRef, state: unknown): Detector;
}

/**
 * A pluggable sub-model of the ensemble (statistical or learned). Online,
 * deterministic: `update` sees points in time order and returns how
 * surprising `v` was given everything before it (`surprise` in [0,1], higher
 * = more anomalous; it need not be calibrated, the ensemble calibrates it
 * against the model's own history) and its one-step `expected` value.
 * NaN/Infinity are never passed in. `snapshot()` is JSON-serialisable and
 * `SubModelFactory.restore` continues exactly where it stopped.
 */
export interface SubModelOutput {
  readonly surprise: number;
  readonly expected: number;
  /**
   * Optional calibrated one-point p-value of `v` under the model's own
   * forecast. When present, the ensemble's spike test counts only as far as
   * this agrees: p_spike = max(p_spike, pointP) (an intersection-union test:
   * a spike must surprise every point forecaster). Omit it while unsure.
   */
  readonly pointP?: number;
}

export interface SubModel {
  /**
   * `wantPoint` false: the ensemble will not use this point's `pointP`
   * (the spike test is not surprised enough for a confirmation to matter);
   * a model may skip work that only serves it.
   */
  update(t: number, v: number, wantPoint?: boolean): SubModelOutput;
  snapshot(): unknown;
}

export interface SubModelFactory {
  /** Contributor name shown in Score.contributors. */
  readonly name: string;
  /**
   * Share of the ensemble's alpha budget for the model's own test on
   * `surprise` (default 1, as each built-in model). 0: no test of its own;
   * the model only confirms spikes through `pointP`.
   */
  readonly weight?: number;
  create(ref: SeriesRef): SubModel;
  /** Throws VigilError E_DETECTOR_STATE when the snapshot is not one of ours. */
  restore(ref: SeriesRef, state: unknown): SubModel;
}
