/**
 * Public surface of detection: the Detector port (types.ts), the 'vigil'
 * ensemble, the learned forecaster and the tiny 'robust-mad' baseline. The
 * benches' named ablations of the ensemble are in src/bench/ablations.ts.
 */
export type { Detector, DetectorFactory, SubModel, SubModelFactory, SubModelOutput } from './types.js';
export { createEnsembleFactory } from './ensemble/factory.js';
export type { EnsembleOptions } from './ensemble/factory.js';
export { DEFAULT_PARAMS } from './ensemble/ensemble.js';
export type { EnsembleParams, ModelName } from './ensemble/ensemble.js';
export { CONTEXT_DEFAULTS } from './context/novelty.js';
export type { ContextParams } from './context/novelty.js';
export { STAT_MODELS } from './stats/core.js';
export { RangeNovelty } from './stats/range.js';
export type { StatModel } from './stats/core.js';
export { createRobustFactory } from './robust/mad.js';
export {
  learnedDetectorFactory,
  learnedSubModelFactory,
  loadLearnedModel,
  loadLearnedModelSync,
} from './learned/index.js';
export type { LearnedRole } from './learned/index.js';
