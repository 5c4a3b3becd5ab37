/**
 * The load each series of a pull is judged against (detect/stats/load): a
 * service's load series (its request rate: PipelineDeps.loadSeries) that
 * came in the same pull gives every other series of that service its load at
 * each timestamp. Only the same pull: pull jobs run in any order, and a
 * covariate read from whatever another job stored so far would make scores
 * depend on that order. Sources that pull a service's metrics together
 * (push, simulator, replay; Prometheus and CloudWatch queries that return
 * both) get it; elsewhere CPU is judged on its own, as before.
 *
 * Not during a rollout: while a deploy of the service is replacing
 * instances, part of its capacity is out of service and per-instance CPU
 * rises for every request, whatever the release costs. Those minutes carry
 * no load, so the load test neither judges nor learns from them; the
 * release is judged once it is out (measured on the independent scenarios:
 * judged during rollouts, 25 of the 26 extra incidents were rollouts,
 * docs/benchmarks.md). A deploy without a finish time counts as rolling
 * out for at most ROLLOUT_MAX.
 */
import type { Deployment, Series } from '../domain/index.js';
import type { DeploymentStore } from '../store/types.js';

export const ROLLOUT_MAX = 30 * 60_000;
/** how far back a rollout that still covers a pull's first point may have started */
const ROLLOUT_LOOKBACK = 6 * 60 * 60_000;

/** Each service's load by timestamp, from the pull's load series (the first one of a service that matches). */
export function loadsOf(series: readonly Series[], isLoad: RegExp): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of series) {
    if (!isLoad.test(s.ref.metric) || out.has(s.ref.service)) continue;
    const m = new Map<number, number>();
    for (const p of s.points) if (Number.isFinite(p.v)) m.set(p.t, p.v);
    out.set(s.ref.service, m);
  }
  return out;
}

/** Drops the load at timestamps within a rollout of `deploys` ([startedAt, finishedAt], or ROLLOUT_MAX). */
export function outsideRollouts(load: Map<number, number>, deploys: readonly Deployment[]): Map<number, number> {
  if (deploys.length === 0) return load;
  for (const t of load.keys()) {
    if (deploys.some((d) => t >= d.startedAt && t <= (d.finishedAt ?? d.startedAt + ROLLOUT_MAX))) load.delete(t);
  }
  return load;
}

/** loadsOf, minus each service's rollouts as the store knows them now. */
export async function pullLoads(
  series: readonly Series[],
  isLoad: RegExp,
  store: DeploymentStore,
): Promise<Map<string, Map<number, number>>> {
  const loads = loadsOf(series, isLoad);
  for (const [service, load] of loads) {
    let from = Infinity,
      to = -Infinity;
    for (const t of load.keys()) {
      if (t < from) from = t;
      if (t > to) to = t;
    }
    if (from > to) continue;
    const deploys = await store.listDeployments({ service, since: from - ROLLOUT_LOOKBACK, until: to + 1 });
    outsideRollouts(load, deploys);
  }
  return loads;
}
