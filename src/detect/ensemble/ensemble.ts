/**
 * The 'vigil' ensemble Detector. Per point:
 *  1. statistical models (stats/core), the step test (stats/step: an
 *     abrupt move of the level, robust to slow daily ramps), on resource
 *     levels the trend test (stats/trend: a steady rise, a leak), on
 *     load-driven resources (CPU) given the service's load the load test
 *     (stats/load: more use than the load explains), contextual
 *     novelty (context/), range novelty (stats/range: a record beyond the
 *     running range, with its own rank p-value, no calibrator needed) and
 *     any plugged SubModels give a nonconformity each; a sub-model's
 *     one-point p-value (the learned forecaster's, when plugged in) confirms the
 *     spike test: p_spike = max(p_spike, pointP), intersection-union;
 *     a spike that repeats one seen at the same time of day on the previous
 *     days (stats/daily: a scheduled job) gets p_spike = 1;
 *  2. each is calibrated into a conformal p-value against its own history
 *     (stats/tail); when daily seasonality switches on, the
 *     statistical models' calibrators keep only `warm` points' worth (reseason);
 *     the first `holdOut` points of a loud event after a page are not learned,
 *     so one long event does not make the next one like it look routine
 *     (`holdOut` points per event, however often it pages again);
 *  3. p-values are combined (weighted Simes, see combined()) and turned into a
 *     probability with a prior anomaly rate: P = pi / (pi + p (1 - pi)),
 *     then scaled by confidence so a thin baseline never pages loudly;
 *  4. routine pages: a score that would page at the time of day where the
 *     previous days paged too (stats/daily on the score itself, pages only)
 *     is damped: whatever recurs daily, a job or a daily quirk that one
 *     model keeps tripping over, is the series' habit, not news;
 *  5. the score is not damped after a page: it says whether the series is
 *     abnormal now, for as long as it is. Paging once per event is policy
 *     (detect/policy.ts: the NAB bench's PageOnce; in operation the incident
 *     lifecycle). The detector still tracks events the same way (a score >=
 *     `arm` starts one; it is over once the score has stayed below
 *     `quietLevel` for `quietRun` points, or after `refractory` points)
 *     for one purpose only: the hold-out of the calibrators (`holdOut`).
 * NaN/Infinity: neutral score, no state change. Strictly online.
 */
import {
  ACCUMULATING,
  LOAD_DRIVEN,
  type AnomalyKind,
  type Contribution,
  type Point,
  type Score,
} from '../../domain/index.js';
import type { Detector, SubModel } from '../types.js';
import { STAT_MODELS } from '../stats/core.js';
import type { StatModel, StatCore } from '../stats/core.js';
import type { TailCalibrator } from '../stats/tail.js';
import type { IntervalTracker } from '../stats/interval.js';
import { neutral } from '../state.js';
import type { ContextNovelty, ContextParams } from '../context/novelty.js';
import { CONTEXT_DEFAULTS } from '../context/novelty.js';
import type { RangeNovelty } from '../stats/range.js';
import type { DailyRecurrence } from '../stats/daily.js';
import type { StepTest } from '../stats/step.js';
import type { TrendTest } from '../stats/trend.js';
import type { LoadTest } from '../stats/load.js';

/** The ensemble's built-in models: the statistical ones, the step test, contextual and range novelty. */
export type ModelName = StatModel | 'context' | 'range' | 'step' | 'trend' | 'load';

export interface EnsembleParams {
  readonly models: readonly ModelName[];
  readonly context: ContextParams;
  /** range novelty: margin beyond the running [min, max], as a fraction of the range */
  readonly rangeTol: number;
  /**
   * Bonferroni weight of the spike test relative to the other models' 1:
   * p_adj = min_i p_i * sum(w) / w_i. Single-point spikes in heavy-tailed
   * series are the commonest false page, and the range model already
   * covers a spike beyond everything seen, so spike gets a smaller share.
   */
  readonly spikeWeight: number;
  /** how the models' p-values combine into one (see Ensemble.combined) */
  readonly combine: 'simes' | 'bonferroni';
  /** let daily seasonality (when detected) adjust the other models' view */
  readonly deseason: boolean;
  /** excuse spikes that recur at the same time of day (stats/daily); needs the spike test */
  readonly recurrence: boolean;
  /**
   * damp a score where a page (a score >= arm) happened at about this time
   * of day on each of the previous days (stats/daily on the score)
   */
  readonly routinePages: boolean;
  readonly memory: number;
  /** recalibrate the statistical models when daily seasonality switches on (see Ensemble.reseason) */
  readonly reseason: boolean;
  readonly prior: number;
  readonly warm: number;
  readonly refractory: number;
  readonly damp: number;
  /** a score at or above this arms the refractory period */
  readonly arm: number;
  /**
   * Event-aware end of the refractory: once the undamped score has stayed
   * below `quietLevel` for `quietRun` consecutive points, the event is over
   * and the refractory ends early (quietRun 0: fixed length only).
   */
  readonly quietLevel: number;
  readonly quietRun: number;
  /**
   * The built-in models' calibrators do not learn from the first `holdOut`
   * points after a page while the event is still loud (the last undamped
   * score >= quietLevel). Learned, a persistent event's ~100 points of large
   * shift/CUSUM/variance scores fill the top few percent of the calibrators'
   * history, so the next step of the same size on that series scores as
   * routine (the second 2x latency step of a day was missed, the first
   * caught). Capped so a long event is still learned once it has gone on:
   * it may be the new normal. The cap is per event, not per page: an event
   * that outlasts a short refractory pages again, and those pages hold out
   * nothing more until the event is over (quietRun quiet points; with
   * quietRun 0, the refractory's end). 0: learn from everything.
   */
  readonly holdOut: number;
  /**
   * Bonferroni weight of the step test (stats/step), like spikeWeight: it
   * tests the hypothesis shift and CUSUM test too (the level moved), so it
   * takes half a share of the alpha budget rather than a whole one.
   */
  readonly stepWeight: number;
  /**
   * Bonferroni weight of the trend test (stats/trend): the level is moving
   * one way, a hypothesis the shift and CUSUM tests share, so half a share.
   */
  readonly trendWeight: number;
  /**
   * The metrics the trend test runs on (a case-insensitive regular
   * expression over SeriesRef.metric); default: levels of a finite
   * resource, which fill up (memory, disk, connections, queues: domain
   * ACCUMULATING, the same names attribution looks for leaks in). On a rate or a latency a
   * sustained ramp is load, which the level models already judge; there the
   * trend test only adds false alarms (measured: docs/benchmarks.md).
   */
  readonly trendMetrics: string;
  /**
   * Bonferroni weight of the load test (stats/load): the level moved,
   * judged against load, a hypothesis the level tests share, so half a share.
   * A point without a load value runs no load test and gives up its share.
   */
  readonly loadWeight: number;
  /**
   * The metrics the load test runs on (a case-insensitive regular
   * expression over SeriesRef.metric): resources whose use follows the
   * service's load (domain LOAD_DRIVEN: CPU). The load itself is the
   * service's request-rate series, when it arrives in the same pull
   * (stages/score.ts).
   */
  readonly loadMetrics: string;
}

/** entries in `idx` for the models that are not statistical-core models */
const CONTEXT = -1,
  STEP = -2,
  TREND = -3,
  LOAD = -4;

/** Below this posterior a score names no kind: nothing to explain. */
const KIND_MIN = 0.25;

export const DEFAULT_PARAMS: EnsembleParams = {
  models: ['spike', 'shift', 'cusum', 'variance', 'context', 'range', 'step', 'trend', 'load'],
  context: CONTEXT_DEFAULTS,
  rangeTol: 0.05,
  spikeWeight: 1 / 3,
  combine: 'simes',
  deseason: true,
  recurrence: true,
  routinePages: true,
  memory: 10000,
  reseason: true,
  prior: 0.011,
  warm: 150,
  refractory: 300,
  damp: 0.1,
  arm: 0.3,
  quietLevel: 0.05,
  quietRun: 110,
  holdOut: 15,
  stepWeight: 0.5,
  trendWeight: 0.5,
  trendMetrics: ACCUMULATING.source,
  loadWeight: 0.5,
  loadMetrics: LOAD_DRIVEN.source,
};

export interface NamedSub {
  readonly name: string;
  readonly model: SubModel;
  /** share of the alpha budget (SubModelFactory.weight; 0 = confirmer only, no calibrator) */
  readonly weight?: number;
}

export interface EnsembleState {
  n: number;
  refr: number;
  /** consecutive quiet (undamped < quietLevel) points, counted in and out of the refractory */
  quiet: number;
  /** points of the current event held out of the calibrators (see holdOut) */
  held: number;
}

export class Ensemble implements Detector {
  private readonly idx: number[];
  /** this point's weighted p-values q = p / w, sorted (insertion; K is small) */
  private readonly qv: Float64Array;
  private nq = 0;
  /** sum of the Bonferroni weights (1 per model, spikeWeight for spike, stepWeight for step) */
  private readonly wsum: number;
  /** position of the spike test's calibrator in `cals` (-1: no spike test) */
  private readonly spikeAt: number;
  /** this point's sub-model outputs: surprise, and one-point p-value (-1 = none) */
  private readonly subSurprise: Float64Array;
  private readonly subPoint: Float64Array;

  constructor(
    readonly params: EnsembleParams,
    readonly core: StatCore,
    readonly interval: IntervalTracker,
    readonly cals: TailCalibrator[],
    readonly subs: NamedSub[],
    readonly st: EnsembleState,
    /** present iff params.models includes 'context' */
    readonly ctx: ContextNovelty | null,
    /** present iff params.models includes 'range' */
    readonly range: RangeNovelty | null,
    /** present iff params.recurrence and params.models includes 'spike' */
    readonly daily: DailyRecurrence | null,
    /** present iff params.routinePages: the peaks of past pages per hour of day */
    readonly pages: DailyRecurrence | null,
    /** present iff params.models includes 'step' */
    readonly step: StepTest | null,
    /** present iff params.models includes 'trend' */
    readonly trend: TrendTest | null,
    /** present iff params.models includes 'load' */
    readonly load: LoadTest | null = null,
  ) {
    this.idx = params.models
      .filter((m) => m !== 'range')
      .map((m) =>
        m === 'context'
          ? CONTEXT
          : m === 'step'
            ? STEP
            : m === 'trend'
              ? TREND
              : m === 'load'
                ? LOAD
                : STAT_MODELS.indexOf(m),
      );
    this.qv = new Float64Array(params.models.length + subs.length);
    this.wsum =
      params.models.length -
      (params.models.includes('spike') ? 1 - params.spikeWeight : 0) -
      (params.models.includes('step') ? 1 - params.stepWeight : 0) -
      (params.models.includes('trend') ? 1 - params.trendWeight : 0) -
      (params.models.includes('load') ? 1 - params.loadWeight : 0) +
      subs.reduce((a, s) => a + Math.max(0, s.weight ?? 1), 0);
    this.spikeAt = this.idx.indexOf(0);
    this.subSurprise = new Float64Array(subs.length);
    this.subPoint = new Float64Array(subs.length);
  }

  private push(q: number): void {
    let j = this.nq++;
    const qv = this.qv;
    while (j > 0 && qv[j - 1]! > q) {
      qv[j] = qv[j - 1]!;
      j--;
    }
    qv[j] = q;
  }

  /**
   * Global p-value of "nothing is anomalous" from the models' p-values p_i
   * with weights w_i (W their sum, q_i = p_i / w_i). Bonferroni: W * min q.
   * Weighted Simes (Benjamini & Hochberg 1997, weights rescaled to average
   * 1): min_j W * q_(j) / j over the q sorted ascending, which is Bonferroni
   * at j = 1 and lower when several models are moderately surprised at
   * once; valid under the positive dependence these detectors share. (Until
   * 6 Dec 2026 the j-th term divided by the weights' running sum instead of
   * j, charging a test of weight w < 1 its weight twice: NAB, KPI, the
   * scenarios and the simulated corpus all gained from the fix; see
   * CHANGELOG.md.)
   */
  private combined(qmin: number, wsum: number): number {
    let pc = qmin * wsum;
    if (this.params.combine === 'simes') {
      for (let j = 0; j < this.nq; j++) {
        const x = (this.qv[j]! * wsum) / (j + 1);
        if (x < pc) pc = x;
      }
    }
    return pc < 1 ? pc : 1;
  }

  /**
   * Daily seasonality was switched on (it never switches off again: stats/season),
   * so the statistical models now score a different series (x = v - seasonal offset): their
   * scores' history no longer describes the scores to come. Before the switch
   * on, every daily transition was a large spike; kept at full weight, those
   * hide a break of the daily pattern for weeks (the tail calibrator's
   * memory). They keep `warm` points' worth, as a prior: the history a
   * fresh detector needs before it is confident. Contextual novelty scores
   * raw values and keeps its history.
   */
  private reseason(): void {
    let ci = 0;
    for (const i of this.idx) {
      const cal = this.cals[ci++]!;
      if (i >= 0 || i === STEP || i === TREND) cal.forget(this.params.warm);
    }
    this.step?.restart();
    this.trend?.restart();
  }

  confidence(): number {
    return 1 - Math.exp(-this.st.n / this.params.warm);
  }

  /** `load`: the service's load at p.t (its request rate), when known; only the load test reads it. */
  update(p: Point, load?: number): Score {
    const conf = this.confidence();
    if (!Number.isFinite(p.v) || !Number.isFinite(p.t)) {
      const pk = this.core.peek(p.t);
      return neutral(pk.expected, 3 * pk.sigma, conf);
    }
    const P = this.params;
    this.interval.update(p.t);
    const seasonWas = this.core.season.active;
    const o = this.core.update(p.t, p.v);
    if (P.reseason && P.deseason && this.core.season.active !== seasonWas) this.reseason();
    const contributors: Contribution[] = [];
    this.nq = 0;
    let trendQ = Infinity,
      loadQ = Infinity,
      wsum = this.wsum;
    let pmin = 1,
      kind: AnomalyKind | null = null,
      ci = 0,
      pstat = 1,
      kstat: AnomalyKind = o.kinds[0] ?? 'spike',
      novel = false;
    // Sub-models first: the largest one-point p-value among them confirms (bounds) the spike test,
    // where the spike test alone would be significant (Bonferroni-adjusted p < 1); elsewhere it can
    // at most nudge a joint Simes term, and skipping it saves most of the learned model's cost.
    const sa = this.spikeAt;
    const p0 = sa >= 0 ? this.cals[sa]!.pValue(o.a[0] ?? 0) : 1;
    const want = (p0 * this.wsum) / P.spikeWeight < 1;
    // A spike the previous days also had at this time of day is routine: no evidence from the spike test.
    let routine = false;
    if (this.daily) {
      const z = (o.a[0] ?? 0) * (o.kinds[0] === 'dip' ? -1 : 1);
      routine = want && this.daily.recurring(p.t, z);
      this.daily.add(p.t, z);
    }
    let confirm = 0;
    for (let j = 0; j < this.subs.length; j++) {
      const out = this.subs[j]!.model.update(p.t, p.v, want);
      const sp = Number.isFinite(out.surprise) ? out.surprise : 0;
      this.subSurprise[j] = sp < 0 ? 0 : sp > 1 ? 1 : sp;
      const pp = out.pointP;
      this.subPoint[j] = pp !== undefined && pp > 0 ? Math.min(1, pp) : -1;
      if (pp !== undefined && pp > confirm) confirm = Math.min(1, pp);
    }
    // Calibrate against normal history: the first points of a loud event are not learned (see holdOut).
    const hold =
      this.st.refr > 0 && this.st.quiet === 0 && P.refractory - this.st.refr < P.holdOut && this.st.held < P.holdOut;
    if (hold) this.st.held++;
    const learn = hold ? 0 : 1;
    for (const i of this.idx) {
      const cal = this.cals[ci++]!;
      if (i === LOAD) {
        // The raw value against the load (which carries the daily pattern itself); no load, no test and no share.
        const z = this.load!.update(load, p.v);
        if (Number.isNaN(z)) {
          wsum -= P.loadWeight;
          continue;
        }
        const a = z * z;
        // Squared and calibrated both ways, as the trend test: evidence only for more use than the load explains.
        const pv = z > 0 ? cal.pValue(a) : 1;
        cal.add(a, learn);
        contributors.push({ model: 'load', score: 1 - pv });
        if (pv < pstat) {
          pstat = pv;
          kstat = 'level_shift';
        }
        const pw = pv / P.loadWeight;
        this.push(pw);
        if (pw < pmin) {
          pmin = pw;
          kind = 'level_shift';
          novel = false;
        }
        loadQ = pw;
        continue;
      }
      if (i === STEP || i === TREND) {
        // Both score the deseasonalised value, as the statistical core does.
        let a: number, pv: number;
        if (i === STEP) {
          a = Math.abs(this.step!.update(o.x));
          pv = cal.pValue(a);
        } else {
          // Squared: a difference of medians in noise scales has a Gaussian tail, its square an exponential one,
          // which the calibrator's Pareto tail (stats/tail) extrapolates without flattening a rise far beyond any
          // seen. Calibrated on moves both ways (a resource that follows load falls each evening as far as it
          // rises each morning), evidence only when it fills: release is not a leak.
          const z = this.trend!.update(o.x);
          a = z * z;
          pv = z > 0 ? cal.pValue(a) : 1;
        }
        const k: AnomalyKind = i === STEP ? 'level_shift' : 'trend';
        cal.add(a, learn);
        contributors.push({ model: i === STEP ? 'step' : 'trend', score: 1 - pv });
        if (pv < pstat) {
          pstat = pv;
          kstat = k;
        }
        const pw = pv / (i === STEP ? P.stepWeight : P.trendWeight);
        this.push(pw);
        if (pw < pmin) {
          pmin = pw;
          kind = k;
          novel = false;
        }
        if (i === TREND) trendQ = pw;
        continue;
      }
      const a = i < 0 ? this.ctx!.update(p.v) : (o.a[i] ?? 0);
      // Intersection-union: a one-point surprise counts only as far as every point forecaster agrees.
      const pv = i === 0 ? (routine ? 1 : want && p0 < confirm ? confirm : p0) : cal.pValue(a);
      // While every context is still new, novelty says nothing about the series: keep it out of the calibration.
      if (i >= 0 || this.ctx!.settled) cal.add(a, learn);
      contributors.push({ model: i < 0 ? 'context' : (STAT_MODELS[i] ?? '?'), score: 1 - pv });
      if (i >= 0 && pv < pstat) {
        pstat = pv;
        kstat = o.kinds[i] ?? kstat;
      }
      // Weighted Bonferroni: the spike test gets a smaller share of the alpha budget (see spikeWeight).
      const pw = i === 0 ? pv / P.spikeWeight : pv;
      this.push(pw);
      if (pw < pmin) {
        pmin = pw;
        kind = o.kinds[i] ?? null;
        novel = i < 0;
      }
    }
    // A novel pattern is explained by whichever statistical model finds it least usual.
    if (novel) kind = kstat;
    for (let j = 0; j < this.subs.length; j++) {
      const s = this.subs[j]!,
        sw = s.weight ?? 1;
      if (sw <= 0) {
        // A confirmer only: shown with its one-point p-value, no test of its own.
        const pp = this.subPoint[j]!;
        if (pp >= 0) contributors.push({ model: s.name, score: 1 - pp });
        continue;
      }
      const cal = this.cals[ci++]!;
      const sp = this.subSurprise[j]!;
      const a = sp / (1 - sp + 1e-9);
      const pv = cal.pValue(a);
      cal.add(a);
      contributors.push({ model: s.name, score: 1 - pv });
      this.push(pv / sw);
      if (pv / sw < pmin) {
        pmin = pv / sw;
        kind = kstat;
        novel = false;
      }
    }
    if (this.range) {
      // Beyond everything seen: a rank p-value, no calibration needed.
      const ex = this.range.excess(p.v);
      const pv = this.range.pValue(p.v);
      this.range.add(p.v);
      contributors.push({ model: 'range', score: 1 - pv });
      // Explained by the statistical model that finds the point least usual (a new high may be a spike or a shift).
      this.push(pv);
      if (pv < pmin) {
        pmin = pv;
        kind = pstat < 1 ? kstat : ex > 0 ? 'spike' : 'dip';
        novel = false;
      }
    }
    this.st.n++;
    const pc = this.combined(pmin, wsum);
    const post = P.prior / (P.prior + pc * (1 - P.prior));
    let value = post * conf;
    if (this.pages) {
      // Only pages are remembered (a day without one keeps a stale slot, which recurring() ignores), so a
      // score is routine when each previous day paged within an hour of this time, at least half as high.
      const routine = this.pages.recurring(p.t, value);
      if (value >= P.arm) this.pages.add(p.t, value);
      if (routine) value *= P.damp;
    }
    const st = this.st;
    st.quiet = value < P.quietLevel ? st.quiet + 1 : 0;
    // The event is over once quietRun quiet points have passed (in or after its refractory): the next page may hold out again.
    const over = P.quietRun > 0 && st.quiet >= P.quietRun;
    if (over) st.held = 0;
    if (st.refr > 0) {
      st.refr--;
      if (over) st.refr = 0;
    } else if (value >= P.arm) {
      st.refr = P.refractory;
      st.quiet = 0;
      // No event-end test: every page starts a new event.
      if (P.quietRun === 0) st.held = 0;
    }
    const band = 3 * o.sigma;
    // Explained by the trend test: expected is where the series was before the rise (TrendTest.reference), plus the season.
    // Explained by the load test: expected is the use the fit predicted at this load (no season: load carries it).
    const ref = kind === 'trend' && pmin === trendQ && post >= KIND_MIN ? this.trend!.reference() : NaN;
    const atLoad = pmin === loadQ && post >= KIND_MIN ? this.load!.predicted : NaN;
    const expected = Number.isFinite(atLoad) ? atLoad : Number.isFinite(ref) ? ref + (p.v - o.x) : o.expected;
    return {
      value,
      expected,
      band: [expected - band, expected + band],
      kind: post >= KIND_MIN ? kind : null,
      confidence: conf,
      contributors,
    };
  }

  snapshot(): unknown {
    return {
      v: 3,
      kind: 'vigil',
      models: [...this.params.models],
      ctxp: this.ctx ? { ...this.params.context } : null,
      rtol: this.range ? this.params.rangeTol : null,
      spw: this.params.spikeWeight,
      comb: this.params.combine,
      rec: this.daily !== null,
      rp: this.pages !== null,
      subs: this.subs.map((s) => s.name),
      st: [this.st.n, this.st.refr, this.st.quiet, this.st.held],
      iv: this.interval.snapshot(),
      core: this.core.snapshot(),
      step: this.step ? this.step.snapshot() : null,
      trend: this.trend ? this.trend.snapshot() : null,
      load: this.load ? this.load.snapshot() : null,
      ctx: this.ctx ? this.ctx.snapshot() : null,
      range: this.range ? this.range.snapshot() : null,
      daily: this.daily ? this.daily.snapshot() : null,
      pages: this.pages ? this.pages.snapshot() : null,
      cals: this.cals.map((c) => c.snapshot()),
      sub: this.subs.map((s) => s.model.snapshot()),
    };
  }
}
