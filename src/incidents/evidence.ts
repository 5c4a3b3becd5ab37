/**
 * When an open incident went quiet: the first stretch of `resolveAfter` with
 * no anomaly and no deviation. Reads anomalies and points; writes nothing.
 *
 * Anomalies alone cannot say it: a detector stays silent on a deviation it
 * has already reported (the ensemble's refractory damping) or has adapted to,
 * so "no anomaly for `resolveAfter`" also happens while a level shift or a
 * leak persists. Resolving then would announce a false all-clear, and the
 * detector's next alert on the same deviation would re-open the incident
 * or page again. So the incident also goes on while its series stay outside
 * the band they had when they first deviated in it; a load-driven one (CPU)
 * measured against the load its service carries (load-scale.ts), since a
 * service that deviated at night is busier, and uses more CPU, at noon.
 */
import { isImprovement, LOAD, LOAD_DRIVEN, type Anomaly, type Incident } from '../domain/index.js';
import { loadScale } from './load-scale.js';
import type { IncidentContext } from './types.js';

/**
 * When `incident` went quiet, as of data time `until`: the start `seen` of
 * its first quiet period of `resolveAfter` after its last anomaly, or null
 * when it has not been quiet that long by `until`. Quiet means no evidence
 * that it goes on: no stored anomaly of its services, counted in it or not
 * yet (another group's batch over the same minutes may still be waiting to
 * fold its anomalies in), and none of its series' points at which at least
 * half of that series' points in the trailing `resolveAfter` were outside
 * the series' onset band, on the onset's side. The onset is the series' first anomaly in
 * the incident that is not an improvement (a recovery is no baseline).
 * Majority over the whole window: noise, or one late blip, does not keep an
 * incident open; a deviation that persists does.
 *
 * The first quiet period, not the last before `until`: the answer depends on
 * the data only, not on how far a batch reaches, so a batch of a minute and
 * a batch of an hour (or two jobs that see the same data in another order)
 * resolve the incident at the same time; evidence after the incident went
 * quiet is a new deviation, not this one going on. `end` (default `until`)
 * is where the last quiet period may end: an anomaly at `end` that is no
 * evidence of this incident passes `until` = `end - 1`.
 */
export async function quietSince(
  incident: Incident,
  until: number,
  { store, policy, load = { metrics: LOAD_DRIVEN, series: LOAD } }: IncidentContext,
  end = until,
): Promise<number | null> {
  const window = policy.resolveAfter;
  // Anomalies of its services stored but not yet folded in (a joined service's batch waits for the lock) break quiet too.
  const seen = (
    await store.listAnomalies({
      services: incident.services ?? [incident.service],
      since: incident.lastAnomalyAt + 1,
      until: until + 1,
    })
  ).map((a) => a.t);
  for (const key of incident.seriesKeys) {
    const onset = (
      await store.listAnomalies({ seriesKey: key, since: incident.openedAt, until: until + 1, limit: 50 })
    ).find((a) => !isImprovement(a));
    if (!onset) continue;
    const from = Math.max(onset.t, incident.lastAnomalyAt - window) + 1;
    const points = await store.listPoints(key, { from, to: until + 1 });
    const scale = load.metrics.test(onset.metric)
      ? await loadOf(onset, from, until, window, load.series, store)
      : undefined;
    seen.push(...outsideTimes(onset, points, window, scale).filter((t) => t > incident.lastAnomalyAt));
  }
  return firstQuiet(incident.lastAnomalyAt, seen, end, window);
}

/** The load factor since onset (load-scale.ts) from the service's load series, or none without one. */
async function loadOf(
  onset: Anomaly,
  from: number,
  until: number,
  window: number,
  loadSeries: RegExp,
  store: IncidentContext['store'],
): Promise<((t: number) => number) | undefined> {
  const ref = (await store.listSeries({ service: onset.service })).find((r) => loadSeries.test(r.metric));
  if (!ref) return undefined;
  const [before, since] = await Promise.all([
    store.listPoints(ref.key, { from: onset.t - window, to: onset.t }),
    store.listPoints(ref.key, { from: from - window, to: until + 1 }),
  ]);
  return loadScale([...before, ...since.filter((p) => p.t >= onset.t)], onset.t, window);
}

/**
 * The start of the first stretch of at least `window` after `from` with no
 * time of `seen` (any order) in it, ending by `end`; or null. A time of
 * `seen` exactly `window` after the last one breaks the stretch.
 */
export function firstQuiet(from: number, seen: readonly number[], end: number, window: number): number | null {
  let last = from;
  for (const t of [...seen].sort((a, b) => a - b)) {
    if (t > end) break;
    if (t - last > window) return last;
    last = Math.max(last, t);
  }
  return end - last >= window ? last : null;
}

/**
 * The points at which a majority of the trailing `window` (by time,
 * including the point) lies outside `onset`'s band on its side; with
 * `scale`, each point divided by it first (a load-driven series against the
 * load it carries, load-scale.ts).
 */
export function outsideTimes(
  onset: Anomaly,
  points: readonly { t: number; v: number }[],
  window: number,
  scale?: (t: number) => number,
): number[] {
  const up = onset.observed >= onset.expected;
  const out = points.map((p) => {
    const v = scale ? p.v / scale(p.t) : p.v;
    return up ? v > onset.band[1] : v < onset.band[0];
  });
  let lo = 0,
    outside = 0;
  const found: number[] = [];
  for (let hi = 0; hi < points.length; hi++) {
    if (out[hi]) outside++;
    while (points[hi]!.t - points[lo]!.t >= window) {
      if (out[lo]) outside--;
      lo++;
    }
    if (outside * 2 >= hi - lo + 1 && out[hi]) found.push(points[hi]!.t);
  }
  return found;
}
