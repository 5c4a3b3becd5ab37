import type { Point, Score, SeriesRef } from '../domain/index.js';

/**
 * Online anomaly detector for one series. `update` is called once per point
 * in time order; the same sequence of points always gives the same scores.
 * `snapshot()` returns JSON-serialisable state that `DetectorFactory.restore`
 * turns back into a detector that continues exactly where this one stopped.
 */
export interface Detector {
  update(point: Point): Score;
  snapshot(): unknown;
}

export interface DetectorFactory {
  /** Name for logs, benchmarks and the model card. */
  readonly name: string;
  create(ref: SeriesRef): Detector;
  /** Throws VigilError E_DETECTOR_STATE when the snapshot is not one of ours. */
  restore(ref: SeriesRef, state: unknown): Detector;
}
