/**
 * Did a series come back? Pure. A series is judged against its pre-onset
 * baseline: the incident headline's expected value and band (frozen at
 * onset) for the headline series, else the expected value and band of the
 * series' first anomaly of the incident. Recovered when the median of the
 * last third of the points read after the wait lies inside that band; with
 * no points stored, when no anomaly arrived on it during the wait.
 */
import type { Anomaly, Incident, Point } from '../../domain/index.js';
import { formatValue } from '../../incidents/index.js';

export interface Baseline {
  readonly seriesKey: string;
  readonly metric: string;
  readonly expected: number;
  readonly band: readonly [number, number];
}

export interface SeriesRecovery extends Baseline {
  readonly recovered: boolean;
  /** Median of the last third of the points read after the wait; null when none are stored. */
  readonly observed: number | null;
  readonly points: number;
  /** Anomalies on the series during the wait. */
  readonly anomalies: number;
}

/** The pre-onset baseline of each incident series that has one (its first anomaly since onset, or the headline). */
export function baselines(incident: Incident, since: readonly Anomaly[]): Baseline[] {
  const h = incident.headline;
  const out = new Map<string, Baseline>([
    [h.seriesKey, { seriesKey: h.seriesKey, metric: h.metric, expected: h.expected, band: h.band }],
  ]);
  for (const a of since) {
    if (!out.has(a.seriesKey) && incident.seriesKeys.includes(a.seriesKey))
      out.set(a.seriesKey, { seriesKey: a.seriesKey, metric: a.metric, expected: a.expected, band: a.band });
  }
  return [...out.values()];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function judge(b: Baseline, points: readonly Point[], anomaliesDuringWait: number): SeriesRecovery {
  if (points.length === 0)
    return { ...b, recovered: anomaliesDuringWait === 0, observed: null, points: 0, anomalies: anomaliesDuringWait };
  const tail = points.slice(-Math.max(1, Math.ceil(points.length / 3)));
  const observed = median(tail.map((p) => p.v));
  return {
    ...b,
    recovered: observed >= b.band[0] && observed <= b.band[1],
    observed,
    points: points.length,
    anomalies: anomaliesDuringWait,
  };
}

/** One line per series, e.g. "http_5xx_rate 11.8 vs expected 1 (band 0 to 2): not recovered". */
export function describeRecovery(r: SeriesRecovery): string {
  const now =
    r.observed === null
      ? `no points stored, ${r.anomalies} anomalies during the wait`
      : `${formatValue(r.observed)} (median of the last ${Math.max(1, Math.ceil(r.points / 3))} points)`;
  return `${r.metric} ${now} vs expected ${formatValue(r.expected)} (band ${formatValue(r.band[0])} to ${formatValue(r.band[1])}): ${r.recovered ? 'recovered' : 'not recovered'}`;
}
