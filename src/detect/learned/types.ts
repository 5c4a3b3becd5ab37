/**
 * Public shapes of the learned forecaster, the sub-model the ensemble plugs
 * in. A LearnedModel is the loaded, immutable global network; each series
 * gets its own small LearnedSeriesModel holding only that series' state.
 */

/** One point's verdict from the learned forecaster. */
export interface LearnedUpdate {
  /**
   * 1 - two-sided tail probability of the residual under the calibrated
   * forecast distribution: ~Uniform(0,1) on normal data, near 1 when surprising.
   * 0 for a NaN input and before the first two points.
   */
  readonly surprise: number;
  /** The forecast for this point, made before seeing it (raw units). */
  readonly expected: number;
  /** True once the window and the residual scale are warmed up. */
  readonly ready: boolean;
  /** Two-sided tail probability (1 - surprise, kept exact for tiny values; for -log p pooling). */
  readonly tail: number;
  /** Signed residual in units of the series' long-run residual scale (0 when not scored). */
  readonly z: number;
  /** True when this residual fed the residual scale (every stride-th scored point). */
  readonly sample: boolean;
}

export interface LearnedSeriesModel {
  /**
   * Strictly online: call once per point in time order. NaN/Infinity = gap,
   * state unchanged. `want` false lets a strided model skip the forecast
   * (series-model.ts); the verdict is then neutral with expected NaN.
   */
  update(t: number, v: number, want?: boolean): LearnedUpdate;
  /**
   * Range [lo, hi] (raw units) the next point falls in with two-sided
   * probability `1 - tail` under the current forecast; NaN pair before data.
   */
  band(tail: number): readonly [number, number];
  /** JSON-serialisable state (about 1.5 KB); `LearnedModel.restore` continues exactly. */
  snapshot(): LearnedSnapshot;
  /** Points seen (finite ones). */
  readonly count: number;
}

export interface LearnedSnapshot {
  readonly format: 'vigil-learned/1';
  readonly model: string;
  readonly n: number;
  /** Window values oldest first (length = model window once n > 0). */
  readonly window: readonly number[];
  /** Smallest non-zero step seen so far (0 = none): the scale floor for counts and rounded metrics. */
  readonly q: number;
  /** Long-run mean of the capped |residual|, raw units: the alarm scale. */
  readonly ra: number;
  /** Residuals folded into ra so far. */
  readonly nr: number;
}

export interface LearnedModel {
  /** Identifies the trained artifact (snapshots from another artifact are refused). */
  readonly id: string;
  readonly window: number;
  /** Points after which `ready` turns true. */
  readonly warmup: number;
  /** `stride` (default 1): the residual scale learns from every stride-th point only. */
  create(stride?: number): LearnedSeriesModel;
  /** Throws VigilError E_DETECTOR_STATE when the state is not a snapshot of this model. */
  restore(state: unknown, stride?: number): LearnedSeriesModel;
}
