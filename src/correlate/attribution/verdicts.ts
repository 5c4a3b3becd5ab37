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
import { DAY_MS, PREVIOUS_DAYS } from './daily.js';

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
    const rolloutEnd = Math.max(d.finishedAt ?? d.startedAt, d.startedAt);
    if (now < rolloutEnd + window) continue;
    if (await store.getVerdict(d.id)) continue;
    const refs = (await store.listSeries({ service })).slice(0, MAX_SERIES);
    const anomalous = new Set(
      (await store.listAnomalies({ service, since: d.startedAt, until: rolloutEnd + window })).map((a) => a.seriesKey),
    );
    const series = [];
    for (const ref of refs) {
      // The same windows on previous days, as far as the store keeps them: the time of day taken out (daily.ts).
      const history = [];
      for (let k = 1; k <= PREVIOUS_DAYS; k++)
        history.push(
          ...(await store.listPoints(ref.key, {
            from: d.startedAt - window - k * DAY_MS,
            to: rolloutEnd + window - k * DAY_MS,
          })),
        );
      series.push({
        seriesKey: ref.key,
        metric: ref.metric,
        anomalousAfter: anomalous.has(ref.key),
        points: await store.listPoints(ref.key, { from: d.startedAt - window, to: rolloutEnd + window }),
        history,
      });
    }
    // Other series of the service may still be on their way (one pull job per
    // query): wait for every series to reach the end of the window, but not
    // past a second window (a series that stopped reporting).
    const complete = series.every((s) => s.points.some((p) => p.t >= rolloutEnd + 0.9 * window));
    if (!complete && now < rolloutEnd + 2 * window) continue;
    const verdict = judgeDeploy({ deployment: d, series, window, decidedAt: rolloutEnd + window });
    await store.saveVerdict(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}
