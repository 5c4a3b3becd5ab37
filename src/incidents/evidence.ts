/**
 * When an open incident was last seen going on. Reads anomalies and points;
 * writes nothing.
 *
 * Anomalies alone cannot say it: a detector stays silent on a deviation it
 * has already reported (the ensemble's refractory damping) or has adapted to,
 * so "no anomaly for `resolveAfter`" also happens while a level shift or a
 * leak persists. Resolving then would announce a false all-clear, and the
 * detector's next alert on the same deviation would re-open the incident
 * or page again. So the incident also goes on while its series stay outside
 * the band they had when they first deviated in it.
 */
import { isImprovement, type Anomaly, type Incident } from '../domain/index.js';
import type { IncidentContext } from './types.js';

/**
 * The latest data time up to `until` at which `incident` was going on: its
 * last anomaly, or a later point of one of its series at which at least half
 * of that series' points in the trailing `resolveAfter` were outside the
 * series' onset band, on the onset's side. The onset is the series' first
 * anomaly in the incident that is not an improvement (a recovery is no
 * baseline). Majority over the whole window: noise, or one late blip, does
 * not keep an incident open; a deviation that persists does.
 */
export async function lastEvidence(
  incident: Incident,
  until: number,
  { store, policy }: IncidentContext,
): Promise<number> {
  const window = policy.resolveAfter;
  let last = incident.lastAnomalyAt;
  for (const key of incident.seriesKeys) {
    const onset = (
      await store.listAnomalies({ seriesKey: key, since: incident.openedAt, until: until + 1, limit: 50 })
    ).find((a) => !isImprovement(a));
    if (!onset) continue;
    const points = await store.listPoints(key, {
      from: Math.max(onset.t, incident.lastAnomalyAt - window) + 1,
      to: until + 1,
    });
    const seen = lastOutside(onset, points, window);
    if (seen !== null && seen > last) last = seen;
  }
  return last;
}

/** The last point at which a majority of the trailing `window` (by time, including it) lies outside `onset`'s band on its side. */
export function lastOutside(
  onset: Anomaly,
  points: readonly { t: number; v: number }[],
  window: number,
): number | null {
  const up = onset.observed >= onset.expected;
  const out = points.map((p) => (up ? p.v > onset.band[1] : p.v < onset.band[0]));
  let lo = 0,
    outside = 0,
    found: number | null = null;
  for (let hi = 0; hi < points.length; hi++) {
    if (out[hi]) outside++;
    while (points[hi]!.t - points[lo]!.t >= window) {
      if (out[lo]) outside--;
      lo++;
    }
    if (outside * 2 >= hi - lo + 1 && out[hi]) found = points[hi]!.t;
  }
  return found;
}
