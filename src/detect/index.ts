/**
 * Public surface of detection: the Detector port (types.ts), the 'vigil'
 * ensemble, its ablations, and the tiny 'robust-mad' baseline.
 */
import type { DetectorFactory } from './types.js';
import { createEnsembleFactory } from './ensemble/factory.js';
import { createRobustFactory } from './robust/mad.js';
import { DEFAULT_PARAMS } from './ensemble/ensemble.js';
import type { ModelName } from './ensemble/ensemble.js';
import type { SubModelFactory } from './types.js';

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

/** What the bench needs from src/detect/learned (owned and still evolving there). */
interface LearnedSurface {
  loadLearnedModel(): Promise<unknown>;
  learnedDetectorFactory(model: unknown): DetectorFactory;
  learnedSubModelFactory(model: unknown): SubModelFactory;
}

/**
 * The learned forecaster as [standalone detector, ensemble SubModel], or
 * null while its module or model artifact is missing or does not load.
 * Imported by a runtime specifier so this surface builds without it.
 */
async function learnedFactories(): Promise<[DetectorFactory, SubModelFactory] | null> {
  const spec = './learned/index.js';
  try {
    const m = (await import(spec)) as LearnedSurface;
    const model = await m.loadLearnedModel();
    return [m.learnedDetectorFactory(model), m.learnedSubModelFactory(model)];
  } catch {
    return null;
  }
}

/**
 * Detectors the NAB bench runs: the main 'vigil' ensemble (statistical
 * models + contextual novelty + range novelty) and its ablations:
 * 'vigil-stats' = without contextual novelty, 'vigil-context' = contextual novelty only,
 * 'vigil-no-<model>' = one model left out; when the learned forecaster's
 * artifact loads, also 'vigil-learned' (learned model only) and
 * 'vigil-full' (the ensemble with the learned SubModel plugged in).
 */
export async function benchDetectors(): Promise<{ main: DetectorFactory; ablation: DetectorFactory[] }> {
  const main = createEnsembleFactory();
  const base = DEFAULT_PARAMS.models;
  const without = (m: ModelName): DetectorFactory =>
    createEnsembleFactory({ name: `vigil-no-${m}`, params: { models: base.filter((x) => x !== m) } });
  const learned = await learnedFactories();
  const ablation: DetectorFactory[] = [
    createEnsembleFactory({ name: 'vigil-stats', params: { models: base.filter((x) => x !== 'context') } }),
    createEnsembleFactory({ name: 'vigil-context', params: { models: ['context'] } }),
    ...(learned ? [learned[0], createEnsembleFactory({ name: 'vigil-full', subModels: [learned[1]] })] : []),
    createEnsembleFactory({ name: 'vigil-spike', params: { models: ['spike'] } }),
    without('shift'),
    without('cusum'),
    without('variance'),
    without('context'),
    without('range'),
    createEnsembleFactory({ name: 'vigil-no-deseason', params: { deseason: false } }),
    createEnsembleFactory({ name: 'vigil-with-season-break', params: { models: [...base, 'season'] } }),
    createEnsembleFactory({ name: 'vigil-no-refractory', params: { refractory: 0 } }),
    // The refractory cap Vigil runs with in operation (config detection.refractory).
    createEnsembleFactory({ name: 'vigil-ops', params: { refractory: 60 } }),
    createEnsembleFactory({ name: 'vigil-fixed-refractory', params: { refractory: 400, quietRun: 0 } }),
    createEnsembleFactory({ name: 'vigil-equal-weights', params: { spikeWeight: 1 } }),
    createEnsembleFactory({ name: 'vigil-bonferroni', params: { combine: 'bonferroni' } }),
    createRobustFactory(),
  ];
  return { main, ablation };
}
