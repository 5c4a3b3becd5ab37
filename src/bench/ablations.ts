/**
 * The detectors the benches run, by name: the main 'vigil' ensemble and its
 * ablations, each a profile of the ensemble (or another detector) that only
 * benchmarks use. `vigil start` builds its detector in main.ts, not here.
 */
import type { DetectorFactory, ModelName } from '../detect/index.js';
import {
  createEnsembleFactory,
  createRobustFactory,
  DEFAULT_PARAMS,
  learnedDetectorFactory,
  learnedSubModelFactory,
  loadLearnedModel,
} from '../detect/index.js';

/**
 * Detectors the NAB bench runs: the main 'vigil' ensemble (statistical
 * models + contextual novelty + range novelty) and its ablations:
 * 'vigil-confirm' = vigil with the learned forecaster confirming spikes,
 * 'vigil-full' = vigil with the learned model confirming spikes and its
 * residual likelihood as a test of its own, 'vigil-stats' = the statistical
 * models alone (no contextual novelty, no learned model),
 * 'vigil-stats-learned' = those plus the learned model (as in vigil-full),
 * 'vigil-learned' = the learned forecaster alone, 'vigil-context' =
 * contextual novelty only, 'vigil-no-<model>' = one model left out,
 * 'vigil-no-recurrence' = spikes recurring at the same time of day not excused,
 * 'vigil-no-routine-pages' = pages recurring at the same time of day not damped,
 * 'vigil-no-reseason' = calibrators not reset when daily seasonality switches.
 */
export async function benchDetectors(): Promise<{ main: DetectorFactory; ablation: DetectorFactory[] }> {
  const main = createEnsembleFactory();
  const base = DEFAULT_PARAMS.models;
  const without = (m: ModelName): DetectorFactory =>
    createEnsembleFactory({ name: `vigil-no-${m}`, params: { models: base.filter((x) => x !== m) } });
  const model = await loadLearnedModel();
  const stats = base.filter((x) => x !== 'context');
  const ablation: DetectorFactory[] = [
    createEnsembleFactory({ name: 'vigil-confirm', subModels: [learnedSubModelFactory(model, 'confirm')] }),
    createEnsembleFactory({ name: 'vigil-stats', params: { models: stats } }),
    createEnsembleFactory({
      name: 'vigil-stats-learned',
      params: { models: stats },
      subModels: [learnedSubModelFactory(model, 'likelihood')],
    }),
    createEnsembleFactory({ name: 'vigil-full', subModels: [learnedSubModelFactory(model, 'likelihood')] }),
    learnedDetectorFactory(model),
    createEnsembleFactory({ name: 'vigil-context', params: { models: ['context'] } }),
    createEnsembleFactory({ name: 'vigil-spike', params: { models: ['spike'] } }),
    without('shift'),
    without('cusum'),
    without('variance'),
    without('context'),
    without('range'),
    without('step'),
    without('trend'),
    createEnsembleFactory({ name: 'vigil-no-deseason', params: { deseason: false } }),
    createEnsembleFactory({ name: 'vigil-no-recurrence', params: { recurrence: false } }),
    createEnsembleFactory({ name: 'vigil-no-routine-pages', params: { routinePages: false } }),
    createEnsembleFactory({ name: 'vigil-no-reseason', params: { reseason: false } }),
    createEnsembleFactory({ name: 'vigil-with-season-break', params: { models: [...base, 'season'] } }),
    createEnsembleFactory({ name: 'vigil-no-refractory', params: { refractory: 0 } }),
    // The refractory cap Vigil runs with in operation (config detection.refractory).
    createEnsembleFactory({ name: 'vigil-ops', params: { refractory: 15 } }),
    createEnsembleFactory({ name: 'vigil-fixed-refractory', params: { refractory: 400, quietRun: 0 } }),
    createEnsembleFactory({ name: 'vigil-equal-weights', params: { spikeWeight: 1 } }),
    createEnsembleFactory({ name: 'vigil-bonferroni', params: { combine: 'bonferroni' } }),
    createRobustFactory(),
  ];
  return { main, ablation };
}
