/**
 * Training the learned forecaster (`vigil train`): synthetic series, the
 * TensorFlow.js network, calibration, evaluation and the model card. The
 * model it writes is loaded and scored by detect/learned/, which never
 * imports this folder.
 */
import type { TrainOptions, TrainResult } from './train.js';

export type { TrainOptions, TrainResult, TrainProgress } from './train.js';

/** Trains a forecaster on synthetic data and writes the artifact + card (imports TensorFlow.js lazily). */
export async function trainForecaster(options: TrainOptions): Promise<TrainResult> {
  const { train } = await import('./train.js');
  return train(options);
}
