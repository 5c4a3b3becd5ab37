/**
 * The learned forecaster as a standalone Detector ('vigil-learned', for the
 * benchmark's ablation) and as an ensemble SubModelFactory ('learned').
 *
 * Score: value = surprise, damped by confidence during warm-up so a cold
 * series does not alarm; kind = spike/dip by the residual's sign; band = the
 * forecast interval with two-sided tail 0.001. Deterministic; NaN input ->
 * neutral score, state untouched.
 * Failure modes: restore throws VigilError E_DETECTOR_STATE for a foreign snapshot.
 */
import type { Point, Score, SeriesRef } from '../../domain/index.js';
import type { Detector, DetectorFactory, SubModelFactory } from '../types.js';
import { bad, obj } from '../state.js';
import type { LearnedModel, LearnedSeriesModel } from './types.js';

export const LEARNED_DETECTOR_NAME = 'vigil-learned';
const BAND_TAIL = 0.001;

class LearnedDetector implements Detector {
  constructor(
    private readonly m: LearnedSeriesModel,
    private readonly warmup: number,
  ) {}

  update(p: Point): Score {
    const band = this.m.band(BAND_TAIL);
    const u = this.m.update(p.t, p.v);
    const confidence = Math.min(1, this.m.count / this.warmup);
    const lo = Number.isFinite(band[0]) ? band[0] : u.expected;
    const hi = Number.isFinite(band[1]) ? band[1] : u.expected;
    const expected = Number.isFinite(u.expected) ? u.expected : 0;
    const value = u.ready ? u.surprise : u.surprise * confidence;
    const kind = u.z > 0 ? 'spike' : u.z < 0 ? 'dip' : null;
    return {
      value,
      expected,
      band: [Number.isFinite(lo) ? lo : expected, Number.isFinite(hi) ? hi : expected],
      kind,
      confidence,
      contributors: [{ model: 'learned', score: value }],
    };
  }

  snapshot(): unknown {
    return { kind: LEARNED_DETECTOR_NAME, v: 1, m: this.m.snapshot() };
  }
}

export function learnedDetectorFactory(model: LearnedModel): DetectorFactory {
  return {
    name: LEARNED_DETECTOR_NAME,
    create: (_ref: SeriesRef) => new LearnedDetector(model.create(), model.warmup),
    restore: (_ref: SeriesRef, state: unknown) => {
      const o = obj(state, `${LEARNED_DETECTOR_NAME} state`);
      if (o.kind !== LEARNED_DETECTOR_NAME || o.v !== 1) bad(`not a ${LEARNED_DETECTOR_NAME} snapshot`);
      return new LearnedDetector(model.restore(o.m), model.warmup);
    },
  };
}

/** For createEnsembleFactory({ subModels: [learnedSubModelFactory(model)] }). */
export function learnedSubModelFactory(model: LearnedModel): SubModelFactory {
  return {
    name: 'learned',
    create: (_ref: SeriesRef) => model.create(),
    restore: (_ref: SeriesRef, state: unknown) => model.restore(state),
  };
}
