/** Folds anomalies into an incident: counts, series, headline, severity. Pure. */
import type { Anomaly, Headline, Incident } from '../domain/index.js';
import { severityOf } from './severity.js';

export function headlineOf(a: Anomaly): Headline {
  return { seriesKey: a.seriesKey, metric: a.metric, t: a.t, observed: a.observed, expected: a.expected, band: a.band, kind: a.kind, score: a.score };
}

/** Time up to which a series' anomalies are already in the incident. */
export function countedUntil(incident: Incident, seriesKey: string): number {
  const t = incident.counted?.[seriesKey];
  if (t !== undefined) return t;
  // Incidents stored before `counted` existed: their own series up to the last anomaly.
  return incident.seriesKeys.includes(seriesKey) && !incident.counted ? incident.lastAnomalyAt : incident.openedAt - 1;
}

/** Anomalies a series already contributed (t <= its counted time) are ignored. */
export function mergeAnomalies(incident: Incident, anomalies: readonly Anomaly[]): Incident {
  const fresh = anomalies.filter((a) => a.t > countedUntil(incident, a.seriesKey));
  if (fresh.length === 0) return incident;
  const series = new Set(incident.seriesKeys);
  const services = new Set(incident.services ?? [incident.service]);
  const counted: Record<string, number> = { ...incident.counted };
  let headline = incident.headline;
  let last = incident.lastAnomalyAt;
  for (const a of fresh) {
    series.add(a.seriesKey);
    services.add(a.service);
    counted[a.seriesKey] = Math.max(counted[a.seriesKey] ?? -Infinity, a.t);
    last = Math.max(last, a.t);
    if (a.score > headline.score) headline = headlineOf(a);
  }
  const merged = {
    ...incident,
    seriesKeys: [...series].sort(),
    services: [...services].sort(),
    anomalyCount: incident.anomalyCount + fresh.length,
    lastAnomalyAt: last,
    counted,
    headline,
  };
  return { ...merged, severity: severityOf(merged) };
}

/** `service` is the incident's key: the anomaly's service, or its linked group's key. */
export function newIncident(service: string, first: Anomaly): Incident {
  const base: Incident = {
    id: `inc-${service}-${first.t}`,
    service,
    status: 'open',
    severity: 'low',
    openedAt: first.t,
    lastAnomalyAt: first.t,
    resolvedAt: null,
    seriesKeys: [first.seriesKey],
    services: [first.service],
    anomalyCount: 1,
    counted: { [first.seriesKey]: first.t },
    headline: headlineOf(first),
    suspect: null,
  };
  return { ...base, severity: severityOf(base) };
}
