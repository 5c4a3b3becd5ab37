/** Folds anomalies into an incident: counts, series, headline, severity. Pure. */
import type { Anomaly, Headline, Incident } from '../domain/index.js';
import { severityOf } from './severity.js';

export function headlineOf(a: Anomaly): Headline {
  return { seriesKey: a.seriesKey, metric: a.metric, t: a.t, observed: a.observed, expected: a.expected, band: a.band, kind: a.kind, score: a.score };
}

/** Anomalies at or before `incident.lastAnomalyAt` are already counted and ignored. */
export function mergeAnomalies(incident: Incident, anomalies: readonly Anomaly[]): Incident {
  const fresh = anomalies.filter((a) => a.t > incident.lastAnomalyAt);
  if (fresh.length === 0) return incident;
  const series = new Set(incident.seriesKeys);
  let headline = incident.headline;
  for (const a of fresh) {
    series.add(a.seriesKey);
    if (a.score > headline.score) headline = headlineOf(a);
  }
  const merged = {
    ...incident,
    seriesKeys: [...series].sort(),
    anomalyCount: incident.anomalyCount + fresh.length,
    lastAnomalyAt: fresh[fresh.length - 1]!.t,
    headline,
  };
  return { ...merged, severity: severityOf(merged) };
}

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
    anomalyCount: 1,
    headline: headlineOf(first),
    suspect: null,
  };
  return { ...base, severity: severityOf(base) };
}
