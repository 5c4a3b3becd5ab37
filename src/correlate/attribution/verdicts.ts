/**
 * Deploy verdicts as data arrives: for each deploy of a service whose rollout
 * plus one comparison window has passed (data time), judge it once over the
 * service's metrics and store the verdict. Effects: saveVerdict. A deploy
 * with too little data gets an "inconclusive" verdict, which is not retried.
 * Ready means every series of the service has data to the window's end, or
 * a second window has passed.
 */
import type { DeployVerdict } from '../../domain/index.js';
import type { AnomalyStore, DeploymentStore, PointStore, SeriesRegistry, VerdictStore } from '../../store/types.js';
import { judgeDeploy } from './verdict.js';
import { previousDays } from './daily.js';
import { rolloutEnd } from './effect.js';

export interface VerdictDeps {
  readonly store: DeploymentStore & PointStore & SeriesRegistry & VerdictStore & AnomalyStore;
  /** Length of each side of the comparison (ms). */
  readonly window: number;
  /** Deploys older than this (data time) are not judged any more. */
  readonly horizon: number;
}

const MAX_SERIES = 50;

/** Judges the service's deploys that became ready by data time `now`; returns the new verdicts. */
export async function judgeReadyDeploys(service: string, now: number, deps: VerdictDeps): Promise<DeployVerdict[]> {
  const { store, window } = deps;
  const recent = await store.listDeployments({ service, since: now - deps.horizon, until: now });
  const verdicts: DeployVerdict[] = [];
  for (const d of recent) {
    if (d.status === 'started' || d.status === 'stopped') continue;
    const end = rolloutEnd(d);
    if (now < end + window) continue;
    if (await store.getVerdict(d.id)) continue;
    const refs = (await store.listSeries({ service })).slice(0, MAX_SERIES);
    const anomalous = new Set(
      (await store.listAnomalies({ service, since: d.startedAt, until: end + window })).map((a) => a.seriesKey),
    );
    const series = [];
    for (const ref of refs) {
      // The same windows on previous days, as far as the store keeps them: the time of day taken out (daily.ts).
      const history = await previousDays(store, ref.key, d.startedAt - window, end + window);
      series.push({
        seriesKey: ref.key,
        metric: ref.metric,
        anomalousAfter: anomalous.has(ref.key),
        points: await store.listPoints(ref.key, { from: d.startedAt - window, to: end + window }),
        history,
      });
    }
    // Other series of the service may still be on their way (one pull job per
    // query): wait for every series to reach the end of the window, but not
    // past a second window (a series that stopped reporting).
    const complete = series.every((s) => s.points.some((p) => p.t >= end + 0.9 * window));
    if (!complete && now < end + 2 * window) continue;
    const verdict = judgeDeploy({ deployment: d, series, window, decidedAt: end + window });
    await store.saveVerdict(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}
