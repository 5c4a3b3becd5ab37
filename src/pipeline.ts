/**
 * The whole flow, top to bottom (DESIGN.md):
 *
 *   pull job ─► fetch ─► score each series ─► incidents per service (or linked group)
 *            ─► suspects for its open incident ─► deploy verdicts ─► notify jobs
 *   notify job ─► load incident ─► one notifier
 *   verdict job ─► load verdict ─► one notifier
 *
 * Everything here is wiring of ports; main.ts picks the implementations.
 * One bad series is logged and skipped; it never stops the other series,
 * and it never moves the query's cursor: the next pull reads its range again
 * (series that did score skip the points they already scored).
 */
import { attributeIncident, judgeReadyDeploys, newChangeCause, type AttributeDeps, type ServiceLinks } from './correlate/index.js';
import type { Anomaly, DeployVerdict, Incident, Series } from './domain/index.js';
import { wrapError } from './domain/errors.js';
import type { DetectorFactory } from './detect/types.js';
import { advance, KeyedLock, type IncidentEvent, type IncidentPolicy } from './incidents/index.js';
import type { Notifier } from './notify/index.js';
import type { Logger, Metrics, OutageLog } from './observability/index.js';
import type { JobPayloads, Queue } from './queue/types.js';
import { queryCursorKey, type MetricSource, type ServiceMapper, type SourceQuery } from './sources/index.js';
import { deliver, type DeliverOptions } from './stages/notify.js';
import { commitScored, scoreSeries, type ScoreResult } from './stages/score.js';
import { joinRecentAlerts } from './stages/alerts.js';
import { deliverVerdict } from './stages/verdict.js';
import type { Store } from './store/types.js';

export interface PipelineDeps {
  readonly store: Store;
  readonly queue: Queue;
  /** Finds the source that serves a query (queries travel between processes). */
  readonly resolveSource: (query: SourceQuery) => MetricSource;
  /** vigil.yaml service rules applied to every fetched series. */
  readonly mapService: ServiceMapper;
  readonly detectors: DetectorFactory;
  readonly threshold: number;
  readonly policy: IncidentPolicy;
  /** Linked services (grouping, upstream suspects). */
  readonly links: ServiceLinks;
  /** Attribution lookback and verdict window (ms); minuteMs is 60,000 except in time-compressed simulations. */
  readonly correlate: { readonly lookback: number; readonly verdictWindow: number; readonly minuteMs: number };
  readonly notifiers: readonly Notifier[];
  /** The recommended playbook shown with an incident (src/remediate), when remediation is on. */
  readonly recommend?: DeliverOptions['recommend'];
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Logs a store outage once when it starts and once when it ends (not once per series). */
  readonly outage?: OutageLog;
  /** Called for every incident event, after notify jobs are queued (progress displays, tests). */
  readonly onEvent?: (e: IncidentEvent) => void;
}

/**
 * One service's incident lifecycle runs one batch at a time in this process.
 * With co-onset grouping one service's batch may change another's incident
 * (src/incidents/co-onset.ts), so then every batch takes the same lock.
 */
const serviceLock = new KeyedLock();
const lockKey = (key: string, deps: PipelineDeps) => ((deps.policy.coOnsetWithin ?? 0) > 0 ? '*' : key);

interface GroupBatch { anomalies: Anomaly[]; lastT: number; services: Set<string>; scored: ScoreResult[] }

/**
 * Handles one pull job: fetch, score, group into incidents, attribute, judge
 * deploys, queue notifications. A series counts as scored (its detector state
 * and cursor saved) only after its group's incidents took its anomalies; a
 * series or group that fails keeps its points unscored and the query's cursor
 * where it was, so the next pull (or the job's retry) scores them again.
 */
export async function pull(job: JobPayloads['pull'], deps: PipelineDeps): Promise<{ points: number; anomalies: number }> {
  const source = deps.resolveSource(job.query);
  const series = (await source.fetch(job.query, job.range)).map((s) => ({ ...s, ref: deps.mapService(s.ref) }));
  const byGroup = new Map<string, GroupBatch>();
  let points = 0;
  let failed = 0;
  // Raw points first, for the whole batch: once a cursor moves past a point, charts and attribution still find it.
  await deps.store.upsertSeriesMany(series.map((s) => s.ref));
  await deps.store.insertPointsMany(series.map((s) => ({ seriesKey: s.ref.key, points: s.points.filter((p) => Number.isFinite(p.v)) })));
  for (const s of series) {
    const result = await scoreOne(s, source.id, deps);
    if (result === null) { failed++; continue; }
    const key = deps.links.groupOf(s.ref.service);
    const entry = byGroup.get(key) ?? { anomalies: [], lastT: -Infinity, services: new Set<string>(), scored: [] };
    entry.anomalies.push(...result.anomalies);
    entry.lastT = Math.max(entry.lastT, result.lastT ?? -Infinity);
    entry.services.add(s.ref.service);
    entry.scored.push(result);
    byGroup.set(key, entry);
  }
  let anomalies = 0;
  const fresh: Anomaly[] = [];
  let batchEnd = -Infinity;
  const settled: ScoreResult[] = [];
  for (const [key, group] of byGroup) {
    try {
      await settleGroup(key, group, job, deps);
    } catch (err) {
      failed += group.scored.length;
      reportFailure(err, `incidents of ${key}`, deps);
      continue;
    }
    settled.push(...group.scored);
    anomalies += group.anomalies.length;
    if (!job.warmup) fresh.push(...group.anomalies);
    batchEnd = Math.max(batchEnd, group.lastT);
  }
  try {
    await commitScored(deps.store, source.id, settled);
    points = settled.reduce((n, r) => n + r.scored, 0);
  } catch (err) {
    failed += settled.length;
    reportFailure(err, 'saving detector states', deps);
  }
  if (fresh.length > 0) await rerankNeighbours(fresh, new Set(byGroup.keys()), batchEnd, deps);
  if (failed === 0) await deps.store.setCursor(source.id, queryCursorKey(job.query), job.range.to);
  else deps.log.warn({ query: job.query.id, failed, series: series.length }, `${failed} of ${series.length} series were not scored; the query's cursor stays, so the next pull retries them`);
  deps.metrics.pointsIngested(source.id, points);
  deps.metrics.anomaliesDetected(anomalies);
  return { points, anomalies };
}

/** One group's anomalies through the incident lifecycle, attribution, verdicts and notify jobs. */
async function settleGroup(key: string, group: GroupBatch, job: JobPayloads['pull'], deps: PipelineDeps): Promise<void> {
  const { anomalies: found, lastT, services } = group;
  if (!Number.isFinite(lastT) || job.warmup) return;
  found.sort((a, b) => a.t - b.t);
  const events = await serviceLock.run(lockKey(key, deps), async () => {
    const batch = { service: key, services: deps.links.membersOf(key), anomalies: found, from: job.range.from, now: lastT };
    const newCause = (open: Incident, fresh: readonly Anomaly[], now: number) => newChangeCause(open, fresh, now, attributionDeps(deps));
    const ownCause = async (draft: Incident, now: number) => {
      const ranked = await attributeIncident(draft, now, attributionDeps(deps));
      return ranked?.suspect ? ranked.attribution ?? ranked.suspect.deploymentId : null;
    };
    const changes = await advance(batch, { store: deps.store, policy: deps.policy, newCause, ownCause });
    for (const e of changes) if (e.kind === 'opened') await joinRecentAlerts(e.incident, lastT, deps.store, deps.correlate.verdictWindow);
    return [...changes, ...await attribute(key, lastT, changes, deps)];
  });
  for (const e of events) await publish(e, deps);
  for (const service of services) {
    for (const v of await judgeReadyDeploys(service, lastT, { store: deps.store, window: deps.correlate.verdictWindow, horizon: 86_400_000 })) {
      await publishVerdict(v, deps);
    }
  }
}

/** A store outage is logged once (deps.outage); anything else once per failing item. */
function reportFailure(err: unknown, what: string, deps: PipelineDeps): void {
  const e = wrapError(err, 'E_SCORE');
  if (e.code === 'E_STORE_UNAVAILABLE' && deps.outage) deps.outage.failed('store', e);
  else deps.log.error({ code: e.code, err: e }, `${what} failed; the rest goes on and it is retried on the next pull`);
}

/**
 * Ranks suspects for the incidents this batch changed, and for the group's
 * open incident while its evidence is still growing (until one verdict
 * window after onset). Returns an 'updated' event for an incident whose
 * suspects changed when no event for it is queued already (the notifier
 * reads the latest state).
 */
async function attribute(key: string, now: number, changes: readonly IncidentEvent[], deps: PipelineDeps): Promise<IncidentEvent[]> {
  const latest = new Map(changes.map((e) => [e.incident.id, e.incident]));
  const open = (await deps.store.listIncidents({ service: key, status: 'open', limit: 1 }))[0];
  if (open && now - open.openedAt <= deps.correlate.verdictWindow) latest.set(open.id, open);
  return rerank([...latest.keys()], now, changes, deps);
}

/**
 * Another group's anomalies can be the evidence of a shared cause for an
 * incident that opened near them (attribution reads other services'
 * anomalies around onset), and sources deliver services in no set order: a
 * batch of the database's points may arrive after checkout's incident was
 * ranked. So the incidents of other groups opened within a verdict window of
 * this batch's anomalies are ranked again (attribution itself decides which
 * anomalies are near enough to count).
 */
async function rerankNeighbours(found: readonly Anomaly[], groups: ReadonlySet<string>, now: number, deps: PipelineDeps): Promise<void> {
  let [from, to] = [Infinity, -Infinity];
  for (const a of found) [from, to] = [Math.min(from, a.t), Math.max(to, a.t)];
  const w = deps.correlate.verdictWindow;
  // Only incidents with candidate deploys: a shared cause competes with deploys and changes nothing else.
  const near = (await deps.store.listIncidents({ limit: 50 })).filter((i) =>
    !groups.has(i.service) && (i.suspects?.length ?? 0) > 0 && i.openedAt >= from - w && i.openedAt <= to + w);
  for (const incident of near) {
    // Its own batches may have read further than this one: never rank it on less data than before.
    const at = Math.max(now, incident.lastAnomalyAt);
    const events = await serviceLock.run(lockKey(incident.service, deps), () => rerank([incident.id], at, [], deps));
    for (const e of events) await publish(e, deps);
  }
}

/** Ranks suspects for these incidents again; 'updated' events for changed ones not already in `queued`. */
async function rerank(ids: readonly string[], now: number, queued: readonly IncidentEvent[], deps: PipelineDeps): Promise<IncidentEvent[]> {
  const events: IncidentEvent[] = [];
  for (const id of ids) {
    const current = await deps.store.getIncident(id);
    if (!current) continue;
    const next = await attributeIncident(current, now, attributionDeps(deps));
    if (!next) continue;
    await deps.store.updateIncident(next);
    if (next.suspect?.deploymentId !== current.suspect?.deploymentId || current.attribution === undefined) {
      await deps.store.appendTimeline(next.id, { at: Math.min(now, next.resolvedAt ?? now), kind: 'suspect', text: next.attribution ?? '', data: { deploymentId: next.suspect?.deploymentId ?? null } });
    }
    if (!queued.some((e) => e.incident.id === id)) events.push({ kind: 'updated', incident: next });
  }
  return events;
}

function attributionDeps(deps: PipelineDeps): AttributeDeps {
  return { store: deps.store, links: deps.links, lookback: deps.correlate.lookback, minuteMs: deps.correlate.minuteMs };
}

/** Scores one series; null when it failed (logged and counted), so the caller keeps its cursor. */
async function scoreOne(s: Series, sourceId: string, deps: PipelineDeps) {
  try {
    const result = await scoreSeries(s, {
      store: deps.store, detectors: deps.detectors, threshold: deps.threshold, sourceId,
      onBadInput: (kind, seriesKey, point) => {
        deps.metrics.badInput(kind);
        deps.log.warn({ seriesKey, t: point.t, value: String(point.v) }, kind === 'non_finite' ? 'skipped a non-finite value' : 'skipped a point whose timestamp goes backwards');
      },
      onStateReset: (seriesKey, reason) => {
        deps.metrics.badInput('detector_state_reset');
        deps.log.warn({ seriesKey, reason }, 'stored detector state is unusable; the series starts from a cold baseline');
      },
    });
    deps.metrics.scoringSeconds(result.seconds, result.scored);
    deps.outage?.ok('store');
    return result;
  } catch (err) {
    deps.metrics.badInput('series_error');
    reportFailure(err, `scoring ${s.ref.key}`, deps);
    return null;
  }
}

async function publish(e: IncidentEvent, deps: PipelineDeps): Promise<void> {
  for (const n of deps.notifiers) {
    const jobId = `notify_${e.incident.id}_${e.kind}_${e.incident.lastAnomalyAt}_${e.incident.anomalyCount}_${n.name}`.replace(/[^\w.-]/g, '_');
    await deps.queue.enqueue('notify', { incidentId: e.incident.id, event: e.kind, notifier: n.name }, { jobId, attempts: 5 });
  }
  deps.onEvent?.(e);
}

async function publishVerdict(v: DeployVerdict, deps: PipelineDeps): Promise<void> {
  deps.log.info({ deployment: v.deploymentId, service: v.service, outcome: v.outcome }, `deploy verdict: ${v.summary}`);
  for (const n of deps.notifiers) {
    if (!n.sendVerdict) continue;
    const jobId = `verdict_${v.deploymentId}_${v.decidedAt}_${n.name}`.replace(/[^\w.-]/g, '_');
    await deps.queue.enqueue('verdict', { deploymentId: v.deploymentId, notifier: n.name }, { jobId, attempts: 5 });
  }
}

/** Handles one verdict job. */
export async function notifyVerdict(job: JobPayloads['verdict'], deps: PipelineDeps): Promise<void> {
  const notifier = deps.notifiers.find((n) => n.name === job.notifier);
  if (!notifier) {
    deps.log.warn({ notifier: job.notifier }, 'verdict job for a notifier this process does not run; dropped');
    return;
  }
  await deliverVerdict(deps.store, notifier, job.deploymentId);
}

/** Handles one notify job. */
export async function notify(job: JobPayloads['notify'], deps: PipelineDeps): Promise<void> {
  const notifier = deps.notifiers.find((n) => n.name === job.notifier);
  if (!notifier) {
    deps.log.warn({ notifier: job.notifier }, 'notify job for a notifier this process does not run; dropped');
    return;
  }
  try {
    await deliver(deps.store, notifier, job.incidentId, job.event, { log: deps.log, ignoreSilences: job.ignoreSilences === true, ...(deps.recommend ? { recommend: deps.recommend } : {}) });
    deps.metrics.notification(notifier.name, true);
  } catch (err) {
    deps.metrics.notification(notifier.name, false);
    throw err;
  }
}
