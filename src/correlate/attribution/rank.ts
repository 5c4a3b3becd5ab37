/**
 * Suspect ranking: which deployment most likely caused an incident, how sure
 * and why. Pure: the caller loads deployments and points. Evidence is added
 * in log-odds, each piece a fact a person can check:
 *   - relation: a deploy of an affected service, or of a service one of them
 *     depends on (weaker prior);
 *   - timing: onset while the deploy was rolling out (or just after) is
 *     strong; every 10 minutes of quiet after the rollout weakens it;
 *   - shift and trend: the deploy verdict's own judgement (effect.ts) of
 *     each of the incident's metrics: a U-test of the window before the
 *     deploy against the window after its rollout (against previous days
 *     when the store has them), and for a slow regression (a leak, which
 *     barely moves a median before it is detected) a trend that started at
 *     the rollout. The metrics moved in their bad direction, or stayed
 *     steady across onset (strong evidence against). When the deploy came
 *     well before onset, the "after" side stops at onset: a metric that
 *     moved from the deploy on, before the detector fired, is strong
 *     evidence and waives the timing penalty; when onset follows the
 *     rollout closely the test runs over the verdict's window, cannot
 *     separate the two and only confirms;
 *   - the verdict itself, once decided, when the incident's metrics did not
 *     move before onset: failed on them counts for the deploy, found them no
 *     worse counts against it;
 *   - competing explanation: demand (request rate) rose at onset, and the
 *     shift is then no independent evidence;
 *   - competing explanation: another service, which had no deploy and does
 *     not call the deployed one (declared, or seen in its failures: it
 *     gained no more failed requests than the deployed service did), got
 *     worse at the same onset: a shared cause (shared-cause.ts), and the
 *     shift is again no independent evidence;
 *   - competing deploys share the blame.
 * Below `minConfidence` the answer is "no deploy suspected".
 */
import type { Deployment, DeployVerdict, Point, Suspect } from '../../domain/index.js';
import { isDemandMetric, isWorse } from '../../domain/direction.js';
import { describeChange, isMaterial, pValue, shiftAt, sharpRise } from './shift.js';
import { deployEffect, type DeployEffect } from './effect.js';
import { localSymptom, sharedCauses, sharedFor, type NeighbourSeries } from './shared-cause.js';
import { failureRise } from './failures.js';

export type { NeighbourSeries } from './shared-cause.js';

export interface IncidentSeries {
  readonly seriesKey: string;
  readonly service: string;
  readonly metric: string;
  readonly points: readonly Point[];
  /** The same hours of previous days, when the store has them (effect.ts). */
  readonly history?: readonly Point[];
  /** One of the incident's own series (else loaded for context, e.g. demand). */
  readonly inIncident: boolean;
}

export interface AttributionInput {
  /** Services of the incident (a linked group has several). */
  readonly services: readonly string[];
  /** First anomaly of the incident (data time). */
  readonly onset: number;
  /**
   * When the incident was confirmed (data time). A deploy that started
   * between onset and confirmation is still a candidate: the first anomaly
   * may have been noise that the deploy's regression then confirmed.
   */
  readonly detectedAt?: number;
  /** Deploys to consider: the caller filters by service relation and time. */
  readonly deployments: readonly Deployment[];
  /**
   * Verdicts of those deploys decided so far (verdict.ts), by deployment id:
   * the before/after test of one window either side of the rollout, which the
   * deploy's own verdict post reports.
   */
  readonly verdicts?: ReadonlyMap<string, DeployVerdict>;
  /** Services each affected service depends on (from config). */
  readonly dependsOn: (service: string) => readonly string[];
  /** The incident's series and those of its services, with recent points. */
  readonly series: readonly IncidentSeries[];
  /** Other services' anomalous and demand series around onset (for a shared cause). */
  readonly neighbours?: readonly NeighbourSeries[];
  /** Sample spacing of the data, for grace periods (ms). */
  readonly stepMs: number;
  /** Length of a minute of operations (ms): 60,000 except in time-compressed simulations. */
  readonly minuteMs?: number;
}

export interface Attribution {
  readonly suspects: Suspect[];
  /** The best suspect when it is confident enough, else null. */
  readonly suspect: Suspect | null;
  readonly summary: string;
}

export const MIN_CONFIDENCE = 0.5;

export function rankSuspects(input: AttributionInput): Attribution {
  const MIN = input.minuteMs ?? 60_000;
  const window = Math.max(30 * MIN, 10 * input.stepMs);
  // Demand and shared causes are judged over the 10 samples either side of onset.
  const w = Math.min(window, 10 * input.stepMs);
  const demand = demandRise(input, w, input.stepMs, MIN);
  // A local symptom is one of a service a candidate deploy could have changed (its own, or one that
  // calls it): a member that only joined the incident (a degraded backend) has local symptoms of its own.
  const deployed = new Set(input.deployments.map((d) => d.service));
  const local = input.series.filter(
    (s) => deployed.has(s.service) || input.dependsOn(s.service).some((x) => deployed.has(x)),
  );
  const shared = localSymptom(local, input.onset, w) ? [] : sharedCauses(input.neighbours ?? [], input.onset, w);
  const scored = input.deployments
    .map((d) => {
      const rise = failureRise(
        input.series.filter((s) => s.service === d.service),
        input.onset,
        w,
      );
      return scoreDeploy(d, input, window, demand ?? sharedFor(d, shared, input.dependsOn, rise), MIN);
    })
    .filter((s): s is Scored => s !== null);
  const total = scored.reduce((sum, s) => sum + s.p, 0);
  const suspects = scored
    .map((s) => {
      const others = scored.filter((o) => o !== s && o.p >= 0.3);
      const confidence = round(s.p * (s.p / Math.max(total, 1e-9)));
      const competing = others.length > 0 ? `; competing: ${others.map((o) => label(o.d)).join(', ')}` : '';
      return { deploymentId: s.d.id, confidence, reason: s.reasons.join('; ') + competing };
    })
    .sort((a, b) => b.confidence - a.confidence || a.deploymentId.localeCompare(b.deploymentId));
  const top = suspects[0];
  if (top && top.confidence >= MIN_CONFIDENCE)
    return {
      suspects,
      suspect: top,
      summary: `suspect ${top.deploymentId} (confidence ${top.confidence.toFixed(2)}): ${top.reason}`,
    };
  const why = top
    ? `best candidate ${top.deploymentId} has confidence ${top.confidence.toFixed(2)}: ${top.reason}`
    : `no deploy of ${input.services.join(', ')} or what they depend on started before onset or confirmation`;
  return { suspects, suspect: null, summary: `no deploy suspected: ${why}` };
}

interface Scored {
  readonly d: Deployment;
  readonly p: number;
  readonly reasons: string[];
}

/** `competing`: a competing explanation of the whole incident (demand, a shared cause), or null. */
function scoreDeploy(
  d: Deployment,
  input: AttributionInput,
  window: number,
  competing: string | null,
  MIN: number,
): Scored | null {
  const same = input.services.includes(d.service);
  const upstream = !same && input.services.some((s) => input.dependsOn(s).includes(d.service));
  if (!same && !upstream) return null;
  const grace = Math.max(2 * input.stepMs, 2 * MIN);
  if (d.startedAt > Math.max(input.onset + grace, input.detectedAt ?? -Infinity)) return null;
  const reasons: string[] = [];
  let logOdds = same ? 0 : -1;

  const gap = input.onset - d.startedAt;
  const rolloutEnd = Math.max(d.finishedAt ?? d.startedAt, d.startedAt) + grace;
  const who = `${label(d)}${same ? '' : ` (a dependency of ${input.services.join(', ')})`}`;
  let timing: number;
  if (d.startedAt > input.onset) {
    timing = 2;
    reasons.push(`${who} started ${minutes(-gap, MIN)} after the first anomaly, before the incident was confirmed`);
  } else if (input.onset <= rolloutEnd) {
    timing = 2;
    reasons.push(`${who} started ${minutes(gap, MIN)} before onset, which came during its rollout`);
  } else {
    const after = input.onset - rolloutEnd;
    timing = 1 - after / (10 * MIN);
    reasons.push(
      `${who} started ${minutes(gap, MIN)} before onset; its rollout had finished ${minutes(after, MIN)} earlier`,
    );
  }
  logOdds += timing;

  const evidence = deployShift(d, input, window, MIN);
  if (evidence.kind === 'moved' && !competing) {
    logOdds += evidence.beforeOnset ? 3 + Math.max(0, -timing) : evidence.strong ? 1 : 0.5;
    reasons.push(evidence.text);
  } else if (evidence.kind === 'steady') {
    logOdds -= 2;
    reasons.push(evidence.text);
  }
  // Without a shift of its own at the deploy, the deploy's verdict decides what the window after its
  // rollout showed, so the incident and the verdict post never tell two stories about one deploy.
  const judged = evidence.kind === 'moved' ? null : verdictEvidence(d, input);
  if (judged?.worse && !competing) {
    logOdds += 1;
    reasons.push(judged.text);
  } else if (judged && !judged.worse && evidence.kind !== 'steady') {
    logOdds -= 2;
    reasons.push(judged.text);
  }
  if (competing) {
    logOdds -= 3;
    reasons.push(competing);
  }
  return { d, p: 1 / (1 + Math.exp(-logOdds)), reasons };
}

/**
 * What the deploy's verdict, when decided, says of the incident's own
 * metrics (demand aside): worse (it failed the deploy, and some of them got
 * worse after the rollout) or steady (all it tested did not), with the text;
 * null when it tested none of them, or when they got worse without failing
 * it (a marginal verdict: a worse move the detector did not flag, which may
 * be the time of day).
 */
function verdictEvidence(d: Deployment, input: AttributionInput): { worse: boolean; text: string } | null {
  const v = input.verdicts?.get(d.id);
  if (!v) return null;
  const own = new Set(input.series.filter((s) => s.inIncident && !isDemandMetric(s.metric)).map((s) => s.seriesKey));
  const tested = v.shifts.filter((s) => own.has(s.seriesKey));
  if (tested.length === 0) return null;
  const worse = tested.filter((s) => s.worse);
  if (worse.length > 0 && v.outcome !== 'fail') return null;
  if (worse.length > 0)
    return {
      worse: true,
      text: `its verdict: ${worse
        .map(
          (s) =>
            `${s.metric} ${s.afterMedian >= s.beforeMedian ? 'rose' : 'fell'} ${describeChange(s.beforeMedian, s.afterMedian).replace(/^[+-]/, '')} after its rollout (U-test p=${pValue(s.pValue)})`,
        )
        .join(', ')}`,
    };
  return {
    worse: false,
    text: `its verdict found ${tested.map((s) => s.metric).join(', ')} no worse after its rollout than before the deploy`,
  };
}

type Evidence =
  | { kind: 'moved'; strong: boolean; beforeOnset: boolean; text: string }
  | { kind: 'steady'; text: string }
  | { kind: 'none' };

/**
 * Did the incident's metrics move at the deploy, in their bad direction?
 * The deploy verdict's judgement (effect.ts) on each of them, with the
 * "after" side stopped at onset when there is room for a test there (a
 * metric that moved between the deploy and onset is strong evidence), else
 * over the verdict's own window, across onset.
 */
function deployShift(d: Deployment, input: AttributionInput, window: number, MIN: number): Evidence {
  // Demand (request rate) is load from outside: a deploy does not move it, so its drift is no evidence either way.
  const own = input.series.filter(
    (s) =>
      s.inIncident && !isDemandMetric(s.metric) && (s.service === d.service || !input.services.includes(d.service)),
  );
  // The incident's own series: the detector flagged each.
  const judge = (until?: number) =>
    own.map((s) => ({
      s,
      e: deployEffect(s, d, { window, flagged: true, minuteMs: MIN, ...(until !== undefined ? { until } : {}) }),
    }));
  const clipped = judge(input.onset);
  const beforeOnset = clipped.some((c) => c.e !== null);
  const tested = (beforeOnset ? clipped : judge()).filter(
    (c): c is { s: IncidentSeries; e: DeployEffect } => c.e !== null,
  );
  const span = beforeOnset ? 'between the deploy and onset' : `${minutes(window, MIN)} either side of the deploy`;
  const climb = tested.find((c) => c.e.trend !== null && !isMaterialWorse(c));
  const best = tested
    .filter(isMaterialWorse)
    .sort((a, b) => Math.abs(b.e.shift.effect) - Math.abs(a.e.shift.effect))[0];
  if (!best && climb) {
    const t = climb.e.trend!;
    const per = t.perMinute;
    return {
      kind: 'moved',
      strong: true,
      beforeOnset,
      text: `${climb.s.metric} started to ${per >= 0 ? 'climb' : 'fall'} at the deploy${beforeOnset ? ', before the incident was detected' : ''} (${per >= 0 ? '+' : ''}${per.toPrecision(2)} a minute since, no such trend before; Mann-Kendall p=${pValue(t.pValue)})`,
    };
  }
  if (best) {
    const { shift, daily, duringRollout } = best.e;
    const e = shift.effect;
    return {
      kind: 'moved',
      strong: Math.abs(e) >= 0.7,
      beforeOnset,
      text: `${best.s.metric} shifted at the deploy${beforeOnset ? ', before the incident was detected' : ''} (${describeChange(shift.beforeMedian, shift.afterMedian)}${daily ? ' beyond the daily pattern' : ''}${duringRollout ? ' during the rollout' : ''}, U-test p=${pValue(shift.p)}, effect ${e >= 0 ? '+' : ''}${e.toFixed(2)})`,
    };
  }
  // Steady between the deploy and onset is what a late onset means, which timing already weighs; only steady across onset counts against.
  if (tested.length > 0 && !beforeOnset)
    return {
      kind: 'steady',
      text: `${tested.length === 1 ? 'its metric stayed' : `its ${tested.length} metrics stayed`} steady ${span} (U-test)`,
    };
  return { kind: 'none' };
}

/** A material shift in the metric's bad direction (a trend alone is reported as one). */
const isMaterialWorse = (c: { s: IncidentSeries; e: DeployEffect }) =>
  isMaterial(c.e.shift) && isWorse(c.s.metric, c.e.shift.effect);

/**
 * Samples before onset at which a demand rise still counts as "at onset":
 * half the test window. Load arrives first and its symptoms (CPU, latency)
 * cross their detectors' thresholds a few samples later, so the first
 * anomaly can trail the rise; tested at onset alone, a rise three samples
 * earlier already puts a third of the "before" side above the old level.
 */
const DEMAND_LEAD = 5;

/**
 * A demand metric of an affected service that rose sharply at onset, or up
 * to DEMAND_LEAD samples before it (over `window` either side): load, not
 * a deploy.
 */
function demandRise(input: AttributionInput, window: number, step: number, MIN: number): string | null {
  for (const s of input.series) {
    if (!input.services.includes(s.service) || !isDemandMetric(s.metric)) continue;
    for (let k = 0; k <= DEMAND_LEAD; k++) {
      const at = input.onset - k * step;
      const shift = shiftAt(s.points, at, { window });
      if (!sharpRise(shift)) continue;
      const when = k === 0 ? 'at onset' : `${minutes(k * step, MIN)} before onset`;
      return `competing explanation: ${s.metric} rose ${describeChange(shift.beforeMedian, shift.afterMedian)} ${when} (demand from outside, which a deploy does not cause)`;
    }
  }
  return null;
}

const label = (d: Deployment) => `${d.service}${d.version ? ` ${d.version}` : ''}${d.actor ? ` by ${d.actor}` : ''}`;
/** A span in operational minutes (`min` ms each), or seconds when short. */
const minutes = (ms: number, min: number) =>
  Math.abs(ms) < 1.5 * min ? `${Math.round((ms / min) * 60)}s` : `${Math.round(ms / min)} min`;
const round = (x: number) => Math.round(x * 100) / 100;
