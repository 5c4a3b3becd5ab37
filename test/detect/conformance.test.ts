/**
 * The Detector conformance suite on the detectors src/ offers: the 'vigil'
 * ensemble (createEnsembleFactory), the 'robust-mad' baseline, and the NAB
 * bench's ablations (benchDetectors, src/bench/ablations.ts) that bring code paths of their own: the
 * learned forecaster alone ('vigil-learned'), the ensemble with the learned
 * sub-model as a test of its own ('vigil-full'), with the seasonal-break
 * model. The other ablations leave a model or change an option of these, so they add run time and no new state to check.
 */
import { benchDetectors } from '../../src/bench/index.js';
import { createEnsembleFactory, createRobustFactory } from '../../src/detect/index.js';
import type { DetectorFactory } from '../../src/detect/index.js';
import { detectorConformance } from './conformance.js';

detectorConformance('vigil (createEnsembleFactory)', () => createEnsembleFactory());
detectorConformance('robust-mad', () => createRobustFactory());

let bench: Promise<DetectorFactory[]> | null = null;
const ablation = (name: string) => async (): Promise<DetectorFactory> => {
  bench ??= benchDetectors().then((b) => b.ablation);
  const f = (await bench).find((x) => x.name === name);
  if (!f) throw new Error(`benchDetectors() has no '${name}'`);
  return f;
};
for (const name of ['vigil-learned', 'vigil-full', 'vigil-with-season-break'])
  detectorConformance(name, ablation(name));
