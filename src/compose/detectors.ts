/**
 * The detector the Config asks for (main.ts wires it): robust MAD alone, or
 * the ensemble with the learned forecaster as configured and paging once per
 * event. Effects: reads the forecaster's artifact once. Failure modes: a
 * missing or malformed artifact stops startup (E_MODEL_ARTIFACT).
 */
import type { Config } from '../config/index.js';
import {
  createEnsembleFactory,
  createRobustFactory,
  learnedSubModelFactory,
  loadLearnedModelSync,
} from '../detect/index.js';
import { withPageOnce } from '../detect/policy.js';
import type { DetectorFactory } from '../detect/types.js';

export function detectorFor(config: Config): DetectorFactory {
  if (config.detection.detector === 'robust-mad') return createRobustFactory();
  const { learned, refractory, trendMetrics, loadMetrics } = config.detection;
  // The forecaster's artifact is read once here; a missing or malformed one stops startup (E_MODEL_ARTIFACT).
  const subModels =
    learned === 'off'
      ? []
      : [learnedSubModelFactory(loadLearnedModelSync(), learned === 'confirm' ? 'confirm' : 'likelihood')];
  // The score is the detector's; paging once per event (refractory points at most) is the policy applied to it here.
  const f = createEnsembleFactory({
    params: {
      refractory,
      ...(trendMetrics !== undefined ? { trendMetrics } : {}),
      ...(loadMetrics !== undefined ? { loadMetrics } : {}),
    },
    subModels,
  });
  return refractory > 0 ? withPageOnce(f, { ...f.pagePolicy!, refractory }) : f;
}
