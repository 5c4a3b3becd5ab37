/**
 * DetectorFactory for the ensemble: one parameter set, optionally a subset of
 * statistical models (ablations) and plugged SubModelFactories (e.g. the
 * learned forecaster). restore() checks the snapshot was made by the same
 * configuration.
 */
import { fillDirection, VigilError, type SeriesRef } from '../../domain/index.js';
import type { DetectorFactory, SubModelFactory } from '../types.js';
import { Ensemble, DEFAULT_PARAMS } from './ensemble.js';
import type { EnsembleParams, ModelName } from './ensemble.js';
import { StatCore } from '../stats/core.js';
import { TailCalibrator } from '../stats/tail.js';
import { IntervalTracker } from '../stats/interval.js';
import { bad, nums, obj } from '../state.js';
import { ContextNovelty } from '../context/novelty.js';
import { RangeNovelty } from '../stats/range.js';
import { DailyRecurrence } from '../stats/daily.js';
import { StepTest } from '../stats/step.js';
import { TrendTest } from '../stats/trend.js';
import { LoadTest } from '../stats/load.js';

export interface EnsembleOptions {
  readonly name?: string;
  readonly params?: Partial<EnsembleParams>;
  /** Plugged sub-models, e.g. the learned forecaster (learned/index.ts learnedSubModelFactory). */
  readonly subModels?: readonly SubModelFactory[];
}

export function createEnsembleFactory(opts: EnsembleOptions = {}): DetectorFactory {
  const params: EnsembleParams = {
    ...DEFAULT_PARAMS,
    ...opts.params,
    context: { ...DEFAULT_PARAMS.context, ...opts.params?.context },
  };
  const name = opts.name ?? 'vigil';
  // The trend test runs on resource levels only (EnsembleParams.trendMetrics), the load test on load-driven
  // resources (loadMetrics); each series gets the models its metric name calls for.
  const only = { trend: regExp('trendMetrics', params.trendMetrics), load: regExp('loadMetrics', params.loadMetrics) };
  const full = configured(name, params, opts.subModels ?? []);
  const sets = new Map<string, DetectorFactory>();
  const pick = (ref: SeriesRef): DetectorFactory => {
    const models = params.models.filter((m) => !(m === 'trend' || m === 'load') || only[m].test(ref.metric));
    const key = models.join(',');
    let f = sets.get(key);
    if (!f) {
      f = models.length === params.models.length ? full : configured(name, { ...params, models }, opts.subModels ?? []);
      sets.set(key, f);
    }
    return f;
  };
  return {
    name,
    pagePolicy: full.pagePolicy,
    create: (ref) => pick(ref).create(ref),
    restore: (ref, state) => pick(ref).restore(ref, state),
  };
}

function regExp(key: string, source: string): RegExp {
  try {
    return new RegExp(source, 'i');
  } catch (e) {
    throw new VigilError('E_CONFIG', `${key} is not a regular expression: ${(e as Error).message}`);
  }
}

/** Models a snapshot made before them may lack: the series gains a fresh one and its calibrator. */
const ADDED_LATER: readonly ModelName[] = ['trend', 'load'];

/** The factory for one exact model set. */
function configured(name: string, params: EnsembleParams, subs: readonly SubModelFactory[]): DetectorFactory {
  const hasCtx = params.models.includes('context');
  const hasRange = params.models.includes('range');
  const ncal = params.models.filter((m) => m !== 'range').length + subs.filter((s) => (s.weight ?? 1) > 0).length;
  const hasDaily = params.recurrence && params.models.includes('spike');
  const hasPages = params.routinePages;
  const hasStep = params.models.includes('step');
  const hasTrend = params.models.includes('trend');
  const hasLoad = params.models.includes('load');
  const calibrated = params.models.filter((m) => m !== 'range');
  // Refractory 0 (an ablation) pages on every strong point; quietRun and the cap as the detector's event tracking.
  const pagePolicy = {
    arm: params.arm,
    damp: params.damp,
    refractory: params.refractory,
    quietLevel: params.quietLevel,
    quietRun: params.quietRun,
  };
  return {
    name,
    pagePolicy,
    create: (ref: SeriesRef) =>
      new Ensemble(
        params,
        StatCore.create(params.deseason),
        IntervalTracker.create(),
        Array.from({ length: ncal }, () => TailCalibrator.create(params.memory)),
        subs.map((s) => ({ name: s.name, model: s.create(ref), weight: s.weight })),
        { n: 0, refr: 0, quiet: 0, held: 0 },
        hasCtx ? ContextNovelty.create(params.context) : null,
        hasRange ? RangeNovelty.create(params.rangeTol) : null,
        hasDaily ? DailyRecurrence.create() : null,
        hasPages ? DailyRecurrence.create() : null,
        hasStep ? StepTest.create() : null,
        hasTrend ? TrendTest.create(fillDirection(ref.metric)) : null,
        hasLoad ? LoadTest.create(fillDirection(ref.metric)) : null,
      ),
    restore: (ref: SeriesRef, state: unknown) => {
      const o = obj(state, 'vigil state');
      // v1 (before daily recurrence) and v2 (before routine pages) restore with empty memories; they fill again in two days.
      if (o.kind !== 'vigil' || (o.v !== 1 && o.v !== 2 && o.v !== 3)) bad('not a vigil snapshot');
      if ((o.v === 2 || o.v === 3) && o.rec !== hasDaily) bad(`made by a different configuration than ${name}`);
      if (o.v === 3 && o.rp !== hasPages) bad(`made by a different configuration than ${name}`);
      // A snapshot from before the trend or load test (the same models without them) gains fresh ones.
      const gains = new Set(ADDED_LATER.filter((m) => params.models.includes(m) && !includes(o.models, m)));
      const same = JSON.stringify(o.models) === JSON.stringify(params.models.filter((m) => !gains.has(m)));
      if (
        !same ||
        JSON.stringify(o.ctxp) !== JSON.stringify(hasCtx ? params.context : null) ||
        JSON.stringify(o.subs) !== JSON.stringify(subs.map((s) => s.name)) ||
        o.rtol !== (hasRange ? params.rangeTol : null) ||
        o.spw !== params.spikeWeight ||
        o.comb !== params.combine
      ) {
        bad(`made by a different configuration than ${name}`);
      }
      const sub = o.sub;
      // Fresh calibrators (null) where the gained models sit among the calibrated ones, in order.
      let cals: unknown = o.cals;
      if (gains.size > 0 && Array.isArray(o.cals)) {
        const old = [...(o.cals as unknown[])];
        cals = [
          ...calibrated.map((m) => (gains.has(m) ? null : old.shift())),
          ...old, // the plugged sub-models' calibrators come after the built-in models'
        ];
      }
      if (!Array.isArray(cals) || cals.length !== ncal || !Array.isArray(sub) || sub.length !== subs.length)
        bad('model count');
      const st = nums(o, 'st');
      if (st.length < 2 || st.length > 4) bad('st');
      return new Ensemble(
        params,
        StatCore.restore(o.core, params.deseason),
        IntervalTracker.restore(nums(o, 'iv', 3)),
        cals.map((c) =>
          c === null && gains.size > 0
            ? TailCalibrator.create(params.memory)
            : TailCalibrator.restore(c, params.memory),
        ),
        subs.map((s, i) => ({ name: s.name, model: s.restore(ref, sub[i]), weight: s.weight })),
        { n: st[0] ?? 0, refr: st[1] ?? 0, quiet: st[2] ?? 0, held: st[3] ?? 0 },
        hasCtx ? ContextNovelty.restore(o.ctx, params.context) : null,
        hasRange ? RangeNovelty.restore(o.range, params.rangeTol) : null,
        hasDaily ? (o.v !== 1 ? DailyRecurrence.restore(o.daily) : DailyRecurrence.create()) : null,
        hasPages ? (o.v === 3 ? DailyRecurrence.restore(o.pages) : DailyRecurrence.create()) : null,
        hasStep ? StepTest.restore(o.step) : null,
        hasTrend
          ? gains.has('trend')
            ? TrendTest.create(fillDirection(ref.metric))
            : TrendTest.restore(o.trend)
          : null,
        hasLoad ? (gains.has('load') ? LoadTest.create(fillDirection(ref.metric)) : LoadTest.restore(o.load)) : null,
      );
    },
  };
}

function includes(models: unknown, m: string): boolean {
  return Array.isArray(models) && models.includes(m);
}
