/** What shape of deviation a score describes. */
export type AnomalyKind = 'spike' | 'dip' | 'level_shift' | 'trend' | 'variance' | 'seasonal_break';

/** A sub-model's share in a score, for explanations. */
export interface Contribution {
  readonly model: string;
  readonly score: number;
}

/**
 * A detector's verdict on one point. `value` is a calibrated probability in
 * [0,1]; `band` is the expected range at the detector's alert level;
 * `confidence` in [0,1] says how much history the baseline rests on
 * (0 = cold start, 1 = full baseline).
 */
export interface Score {
  readonly value: number;
  readonly expected: number;
  readonly band: readonly [number, number];
  readonly kind: AnomalyKind | null;
  readonly confidence: number;
  readonly contributors: readonly Contribution[];
}

/** A scored point that crossed the alert threshold. Unique per (seriesKey, t). */
export interface Anomaly {
  readonly seriesKey: string;
  readonly service: string;
  readonly metric: string;
  readonly t: number;
  readonly observed: number;
  readonly expected: number;
  readonly band: readonly [number, number];
  readonly score: number;
  readonly kind: AnomalyKind;
}
