/**
 * Public surface of the learned forecaster (issue 3): load the committed
 * global model and score series online with it; and the parts training
 * (src/bench/train/) writes to and checks against.
 *
 * Loading reads models/forecaster (resolved from this file, not the cwd)
 * with plain fs; TensorFlow.js is only imported by training.
 */
import { fileURLToPath } from 'node:url';
import { readArtifact, readArtifactSync } from './artifact.js';
import { modelFromArtifact } from './model.js';
import type { LearnedModel } from './types.js';

export type { LearnedModel, LearnedSeriesModel, LearnedSnapshot, LearnedUpdate } from './types.js';
export { learnedDetectorFactory, learnedSubModelFactory, LEARNED_DETECTOR_NAME, LEARNED_WEIGHT } from './detector.js';
export type { LearnedRole } from './likelihood.js';

// For training: the artifact format, the window normalisation the scorer
// applies, the JS forward pass and the metadata scoring reads.
export { namedWeights, readArtifact, writeArtifact, WEIGHTS_FILE } from './artifact.js';
export type { Artifact, ModelJson, WeightSpec } from './artifact.js';
export type { ForecasterMeta } from './meta.js';
export { Mlp } from './mlp.js';
export { modelFromArtifact } from './model.js';
export { MIN_HISTORY, nextQuantum, normaliseWindow, quantileSorted, squash, SQUASH_KNEE } from './normalise.js';

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
