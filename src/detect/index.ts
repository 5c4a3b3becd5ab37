/**
 * Public surface of detection: the Detector port (types.ts), the 'vigil'
 * ensemble, its ablations, and the tiny 'robust-mad' baseline.
 */
import type { DetectorFactory } from './types.js';
import { createEnsembleFactory } from './ensemble/factory.js';
import { createRobustFactory } from './robust/mad.js';
import { DEFAULT_PARAMS } from './ensemble/ensemble.js';
import type { StatModel } from './stats/core.js';

export type { Detector, DetectorFactory, SubModel, SubModelFactory, SubModelOutput } from './types.js';
export { createEnsembleFactory } from './ensemble/factory.js';
export type { EnsembleOptions } from './ensemble/factory.js';
export { DEFAULT_PARAMS } from './ensemble/ensemble.js';
export type { EnsembleParams } from './ensemble/ensemble.js';
export { STAT_MODELS } from './stats/core.js';
export type { StatModel } from './stats/core.js';
export { createRobustFactory } from './robust/mad.js';

/**
 * Detectors the NAB bench runs: the full ensemble and its ablations.
 * 'vigil-stats' = statistical models only (equals 'vigil' until a learned
 * SubModel is plugged in via createEnsembleFactory({ subModels })).
 */
export async function benchDetectors(): Promise<{ main: DetectorFactory; ablation: DetectorFactory[] }> {
  const main = createEnsembleFactory();
  const base = DEFAULT_PARAMS.models;
  const without = (m: StatModel): DetectorFactory =>
    createEnsembleFactory({ name: `vigil-no-${m}`, params: { models: base.filter((x) => x !== m) } });
  const ablation: DetectorFactory[] = [
    createEnsembleFactory({ name: 'vigil-stats' }),
    createEnsembleFactory({ name: 'vigil-spike', params: { models: ['spike'] } }),
    without('shift'),
    without('cusum'),
    without('variance'),
    createEnsembleFactory({ name: 'vigil-no-deseason', params: { deseason: false } }),
    createEnsembleFactory({ name: 'vigil-with-season-break', params: { models: [...base, 'season'] } }),
    createEnsembleFactory({ name: 'vigil-no-refractory', params: { refractory: 0 } }),
    createRobustFactory(),
  ];
  return { main, ablation };
}
