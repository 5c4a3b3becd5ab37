/**
 * Public surface of the learned forecaster (issue 3): load the committed
 * global model and score series online with it; train a new one.
 *
 * Loading reads models/forecaster (resolved from this file, not the cwd)
 * with plain fs; TensorFlow.js is only imported by training.
 */
import { fileURLToPath } from 'node:url';
import { readArtifact, readArtifactSync } from './artifact.js';
import { modelFromArtifact } from './model.js';
import type { LearnedModel } from './types.js';
import type { TrainOptions, TrainResult } from './train.js';

export type { LearnedModel, LearnedSeriesModel, LearnedSnapshot, LearnedUpdate } from './types.js';
export type { TrainOptions, TrainResult, TrainProgress } from './train.js';
export { learnedDetectorFactory, learnedSubModelFactory, LEARNED_DETECTOR_NAME, LEARNED_WEIGHT } from './detector.js';
export type { LearnedRole } from './likelihood.js';

/** models/forecaster in the repository (or installed package) root. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../../models/forecaster', import.meta.url));

/** Throws VigilError E_MODEL_ARTIFACT when the artifact is missing or malformed. */
export async function loadLearnedModel(dir: string = DEFAULT_MODEL_DIR): Promise<LearnedModel> {
  return modelFromArtifact(await readArtifact(dir), dir);
}

/** Same as loadLearnedModel, for synchronous factories (~1 ms: two small file reads). */
export function loadLearnedModelSync(dir: string = DEFAULT_MODEL_DIR): LearnedModel {
  return modelFromArtifact(readArtifactSync(dir), dir);
}

/** Trains a forecaster on synthetic data and writes the artifact + card (imports TensorFlow.js lazily). */
export async function trainForecaster(options: TrainOptions): Promise<TrainResult> {
  const { train } = await import('./train.js');
  return train(options);
}
