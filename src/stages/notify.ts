/**
 * The notify stage: loads what a notifier needs and delivers one event to
 * one notifier. Retries belong to the queue: a retryable failure throws a
 * retryable VigilError, a permanent one a non-retryable VigilError.
 * Events of a silenced service (every service of the incident) or of
 * silenced series (every series of the incident) are dropped and logged.
 * Notifiers that draw charts get the headline series' recent points.
 */
import type { Anomaly, Incident } from '../domain/index.js';
import { VigilError } from '../domain/errors.js';
import type { IncidentEventKind } from '../incidents/index.js';
import type { ChartData, Notifier, NotifyEvent } from '../notify/index.js';
import type { Silence, Store } from '../store/types.js';

export interface DeliverOptions {
  /** Where dropped (silenced) notifications are logged. */
  readonly log?: { info(obj: object, msg: string): void };
  /** Wall clock for silences (default Date.now). */
  readonly now?: () => number;
  /** Re-renders after a person's action (ack, silence, ...): silences do not apply. */
  readonly ignoreSilences?: boolean;
  /** The playbook recommended for an incident (src/remediate), when remediation is configured. */
  readonly recommend?: (incident: Incident) => Promise<NotifyEvent['playbook']>;
}

/** Data time around the incident that a chart shows. */
const CHART_BEFORE = 2 * 3_600_000;
const CHART_AFTER = 30 * 60_000;

export async function deliver(
  store: Store,
  notifier: Notifier,
  incidentId: string,
  kind: IncidentEventKind,
  opts: DeliverOptions = {},
): Promise<void> {
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new VigilError('E_NOTIFY_UNKNOWN_INCIDENT', `incident ${incidentId} does not exist`);
  const silence = opts.ignoreSilences
    ? null
    : silencedBy(incident, await store.listActiveSilences((opts.now ?? Date.now)()));
  if (silence) {
    opts.log?.info(
      {
        incident: incidentId,
        notifier: notifier.name,
        event: kind,
        silence: silence.id,
        until: new Date(silence.until).toISOString(),
      },
      `notification dropped: ${silence.target.kind} ${silence.target.value} is silenced`,
    );
    return;
  }
  const [timeline, suspect, playbook, chart] = await Promise.all([
    store.timeline(incidentId),
    incident.suspect ? store.getDeployment(incident.suspect.deploymentId) : Promise.resolve(null),
    opts.recommend ? opts.recommend(incident) : Promise.resolve(null),
    notifier.wantsChart ? chartOf(store, incident) : Promise.resolve(null),
  ]);
  const result = await notifier.send({ kind, incident, timeline, suspect, playbook, chart });
  if (!result.ok) {
    throw new VigilError('E_NOTIFY_FAILED', `${notifier.name}: ${result.error}`, result.retryable);
  }
}

/** The silence that covers the whole incident, if any. */
export function silencedBy(incident: Incident, silences: readonly Silence[]): Silence | null {
  const services = incident.services && incident.services.length > 0 ? incident.services : [incident.service];
  for (const s of silences) {
    const covered =
      s.target.kind === 'service'
        ? services.every((svc) => svc === s.target.value) || s.target.value === incident.service
        : incident.seriesKeys.length > 0 &&
          incident.seriesKeys.every((k) => silences.some((x) => x.target.kind === 'series' && x.target.value === k));
    if (covered) return s;
  }
  return null;
}

/** Stored raw points of the headline series, or only its anomalies (with their bands) when none are stored. */
async function chartOf(store: Store, i: Incident): Promise<ChartData | null> {
  const key = i.headline.seriesKey;
  const range = { from: i.openedAt - CHART_BEFORE, to: (i.resolvedAt ?? i.lastAnomalyAt) + CHART_AFTER };
  const [points, anomalies] = await Promise.all([
    store.listPoints(key, range),
    store.listAnomalies({ seriesKey: key, since: range.from, until: range.to, limit: 2000 }),
  ]);
  if (points.length === 0 && anomalies.length === 0) return null;
  return {
    title: `${i.service} · ${i.headline.metric}`,
    points,
    band: anomalies.map((a: Anomaly) => ({ t: a.t, lo: a.band[0], hi: a.band[1] })),
    anomalies: anomalies.map((a) => ({ t: a.t, v: a.observed })),
  };
}
