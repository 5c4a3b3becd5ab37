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
import { bad, num, obj } from '../state.js';
import type { LearnedModel, LearnedSeriesModel } from './types.js';
import { TailCalibrator } from '../stats/tail.js';
import { LEARNED_STRIDE, LearnedSub } from './likelihood.js';
import type { LearnedRole } from './likelihood.js';

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

/**
 * Alpha-budget weight of the learned sub-model's own test in role
 * 'likelihood': the spike test's share, for the same reason (a full share
 * would raise every other model's adjusted p-value by a sixth). Role
 * 'confirm' has no test of its own (weight 0).
 */
export const LEARNED_WEIGHT = 1 / 3;

/**
 * For createEnsembleFactory({ subModels: [learnedSubModelFactory(model, role)] });
 * the roles are described in likelihood.ts.
 */
export function learnedSubModelFactory(model: LearnedModel, role: LearnedRole = 'confirm'): SubModelFactory {
  const stride = role === 'confirm' ? LEARNED_STRIDE : 1;
  return {
    name: 'learned',
    weight: role === 'likelihood' ? LEARNED_WEIGHT : 0,
    create: (_ref: SeriesRef) => LearnedSub.create(model.create(stride), role, stride),
    restore: (_ref: SeriesRef, state: unknown) => {
      const o = obj(state, 'learned sub-model state');
      if (o.format !== 'vigil-learned-sub/2' || o.role !== role)
        bad(`not a learned sub-model snapshot of role ${role}`);
      const s = num(o, 's');
      if (s < 0) bad('negative surprisal');
      return new LearnedSub(
        model.restore(o.m, stride),
        role,
        TailCalibrator.restore(o.cal, LearnedSub.memory(stride)),
        s,
      );
    },
  };
}
