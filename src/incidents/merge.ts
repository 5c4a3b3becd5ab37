/**
 * Folds anomalies into an incident: counts, series, headline, severity. Pure.
 *
 * The headline tells the truth about size: each series' expected value and
 * band are frozen at its first anomaly in the incident (its pre-onset
 * baseline; the detector's own expectation adapts to a persisting shift, so
 * a later anomaly's "expected" understates the change). The headline is the
 * anomaly that deviates most from its series' frozen baseline, in band
 * half-widths, and it changes only when a larger deviation appears.
 */
import type { Anomaly, Baseline, Headline, Incident } from '../domain/index.js';
import { severityOf } from './severity.js';

/** |observed - expected| in half-widths of the band (a flat band counts as a tiny width, never zero). */
export function deviationOf(observed: number, base: Baseline): number {
  const half = Math.max((base.band[1] - base.band[0]) / 2, Math.abs(base.expected) * 1e-6, 1e-12);
  return Math.abs(observed - base.expected) / half;
}

export function headlineOf(a: Anomaly, base: Baseline = a): Headline {
  return {
    seriesKey: a.seriesKey,
    metric: a.metric,
    t: a.t,
    observed: a.observed,
    expected: base.expected,
    band: base.band,
    kind: a.kind,
    score: a.score,
    deviation: deviationOf(a.observed, base),
  };
}

/** A headline stored before deviations existed is measured against its own expectation. */
const deviationOfHeadline = (h: Headline): number => h.deviation ?? deviationOf(h.observed, h);

/** Time up to which a series' anomalies are already in the incident. */
export function countedUntil(incident: Incident, seriesKey: string): number {
  const t = incident.counted?.[seriesKey];
  if (t !== undefined) return t;
  // Incidents stored before `counted` existed: their own series up to the last anomaly.
  return incident.seriesKeys.includes(seriesKey) && !incident.counted ? incident.lastAnomalyAt : incident.openedAt - 1;
}

/**
 * Anomalies a series already contributed (t <= its counted time) are ignored,
 * and so are a new series' anomalies from before the incident's onset (a
 * blip before onset must not drag it back), unless `from` says from when a
 * joining service's anomalies count (co-onset.ts: it may have started first).
 */
export function mergeAnomalies(incident: Incident, anomalies: readonly Anomaly[], from?: number): Incident {
  const floor = (key: string) =>
    from !== undefined && incident.counted?.[key] === undefined ? from - 1 : countedUntil(incident, key);
  const fresh = anomalies.filter((a) => a.t > floor(a.seriesKey));
  if (fresh.length === 0) return incident;
  const series = new Set(incident.seriesKeys);
  const services = new Set(incident.services ?? [incident.service]);
  const counted: Record<string, number> = { ...incident.counted };
  const baselines: Record<string, Baseline> = { ...incident.baselines };
  const onsets: Record<string, number> = { ...incident.onsets };
  let headline = incident.headline;
  let last = incident.lastAnomalyAt;
  for (const a of fresh) {
    series.add(a.seriesKey);
    services.add(a.service);
    counted[a.seriesKey] = Math.max(counted[a.seriesKey] ?? -Infinity, a.t);
    onsets[a.service] = Math.min(onsets[a.service] ?? Infinity, a.t);
    last = Math.max(last, a.t);
    const base = (baselines[a.seriesKey] ??= { expected: a.expected, band: a.band });
    const candidate = headlineOf(a, base);
    if ((candidate.deviation ?? 0) > deviationOfHeadline(headline)) headline = candidate;
  }
  const merged = {
    ...incident,
    seriesKeys: [...series].sort(),
    services: [...services].sort(),
    anomalyCount: incident.anomalyCount + fresh.length,
    lastAnomalyAt: last,
    counted,
    baselines,
    onsets,
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
    onsets: { [first.service]: first.t },
    baselines: { [first.seriesKey]: { expected: first.expected, band: first.band } },
    headline: headlineOf(first),
    suspect: null,
  };
  return { ...base, severity: severityOf(base) };
}
