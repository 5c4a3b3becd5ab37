/**
 * The whole flow, top to bottom (DESIGN.md):
 *
 *   pull job ─► fetch ─► score each series ─► incidents per service ─► notify jobs
 *   notify job ─► load incident ─► one notifier
 *
 * Everything here is wiring of ports; main.ts picks the implementations.
 * One bad series is logged and skipped; it never stops the other series.
 */
import type { Anomaly, Series } from './domain/index.js';
import { wrapError } from './domain/errors.js';
import type { DetectorFactory } from './detect/types.js';
import { advance, KeyedLock, type IncidentEvent, type IncidentPolicy } from './incidents/index.js';
import type { Notifier } from './notify/index.js';
import type { Logger, Metrics } from './observability/index.js';
import type { JobPayloads, Queue } from './queue/types.js';
import { queryCursorKey, type MetricSource, type ServiceMapper, type SourceQuery } from './sources/index.js';
import { deliver } from './stages/notify.js';
import { scoreSeries } from './stages/score.js';
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
  readonly notifiers: readonly Notifier[];
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Called for every incident event, after notify jobs are queued (progress displays, tests). */
  readonly onEvent?: (e: IncidentEvent) => void;
}

/** One service's incident lifecycle runs one batch at a time in this process. */
const serviceLock = new KeyedLock();

/** Handles one pull job: fetch, score, group into incidents, queue notifications. */
export async function pull(job: JobPayloads['pull'], deps: PipelineDeps): Promise<{ points: number; anomalies: number }> {
  const source = deps.resolveSource(job.query);
  const series = (await source.fetch(job.query, job.range)).map((s) => ({ ...s, ref: deps.mapService(s.ref) }));
  const byService = new Map<string, { anomalies: Anomaly[]; lastT: number }>();
  let points = 0;
  for (const s of series) {
    const result = await scoreOne(s, source.id, deps);
    const entry = byService.get(s.ref.service) ?? { anomalies: [], lastT: -Infinity };
    entry.anomalies.push(...result.anomalies);
    entry.lastT = Math.max(entry.lastT, result.lastT ?? -Infinity);
    byService.set(s.ref.service, entry);
    points += result.scored;
  }
  let anomalies = 0;
  for (const [service, { anomalies: found, lastT }] of byService) {
    anomalies += found.length;
    if (!Number.isFinite(lastT) || job.warmup) continue;
    found.sort((a, b) => a.t - b.t);
    const events = await serviceLock.run(service, () => advance({ service, anomalies: found, now: lastT }, { store: deps.store, policy: deps.policy }));
    for (const e of events) await publish(e, deps);
  }
  await deps.store.setCursor(source.id, queryCursorKey(job.query), job.range.to);
  deps.metrics.pointsIngested(source.id, points);
  deps.metrics.anomaliesDetected(anomalies);
  return { points, anomalies };
}

async function scoreOne(s: Series, sourceId: string, deps: PipelineDeps) {
  try {
    await deps.store.upsertSeries(s.ref);
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
    return result;
  } catch (err) {
    const e = wrapError(err, 'E_SCORE');
    deps.metrics.badInput('series_error');
    deps.log.error({ seriesKey: s.ref.key, code: e.code, err: e }, `scoring ${s.ref.key} failed; other series go on`);
    return { scored: 0, anomalies: [], lastT: null, seconds: 0 };
  }
}

async function publish(e: IncidentEvent, deps: PipelineDeps): Promise<void> {
  for (const n of deps.notifiers) {
    const jobId = `notify_${e.incident.id}_${e.kind}_${e.incident.lastAnomalyAt}_${e.incident.anomalyCount}_${n.name}`.replace(/[^\w.-]/g, '_');
    await deps.queue.enqueue('notify', { incidentId: e.incident.id, event: e.kind, notifier: n.name }, { jobId, attempts: 5 });
  }
  deps.onEvent?.(e);
}

/** Handles one notify job. */
export async function notify(job: JobPayloads['notify'], deps: PipelineDeps): Promise<void> {
  const notifier = deps.notifiers.find((n) => n.name === job.notifier);
  if (!notifier) {
    deps.log.warn({ notifier: job.notifier }, 'notify job for a notifier this process does not run; dropped');
    return;
  }
  try {
    await deliver(deps.store, notifier, job.incidentId, job.event);
    deps.metrics.notification(notifier.name, true);
  } catch (err) {
    deps.metrics.notification(notifier.name, false);
    throw err;
  }
}
