/**
 * Public surface of detection: the Detector port (types.ts), the 'vigil'
 * ensemble, its ablations, and the tiny 'robust-mad' baseline.
 */
import type { DetectorFactory } from './types.js';
import { createEnsembleFactory } from './ensemble/factory.js';
import { createRobustFactory } from './robust/mad.js';

export type { Detector, DetectorFactory, SubModel, SubModelFactory, SubModelOutput } from './types.js';
export { createEnsembleFactory } from './ensemble/factory.js';
export type { EnsembleOptions } from './ensemble/factory.js';
export { DEFAULT_PARAMS } from './ensemble/ensemble.js';
export type { EnsembleParams } from './ensemble/ensemble.js';
export { STAT_MODELS } from './stats/core.js';
export type { StatModel } from './stats/core.js';
export { createRobustFactory } from './robust/mad.js';

/** Detectors the NAB bench runs: the full ensemble and its ablations. */
export async function benchDetectors(): Promise<{ main: DetectorFactory; ablation: DetectorFactory[] }> {
  const main = createEnsembleFactory();
  const ablation: DetectorFactory[] = [
    createEnsembleFactory({ name: 'vigil-stats' }),
    createEnsembleFactory({ name: 'vigil-spike', params: { models: ['spike'] } }),
    createEnsembleFactory({ name: 'vigil-no-season', params: { models: ['spike', 'shift', 'cusum', 'variance'] } }),
    createEnsembleFactory({ name: 'vigil-no-refractory', params: { refractory: 0 } }),
    createRobustFactory(),
  ];
  return { main, ablation };
}
