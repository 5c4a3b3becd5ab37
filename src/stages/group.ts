/**
 * The group stage and the fan-out over groups. Anomalies are grouped by
 * incident key: a service, or its linked group (src/correlate/links.ts).
 * `eachGroup` runs a group's incident stages group by group, in order of
 * their first series; a group that throws is reported, its series count as
 * failed (not scored: the query's cursor stays) and the other groups go on.
 * A warm-up pull, or a group with no scored point, only trains detectors:
 * its incident stages do not run, and it settles as it is.
 */
import { reportFailure } from './failure.js';
import { horizonOf } from './lock.js';
import type { GroupBatch, Grouped, PipelineDeps, Scored, Settled, Stage } from './types.js';

export const groupByService: Stage<Scored, Grouped> = async (scored, deps) => {
  // Their anomalies are stored: the lifecycle may count on these series up to their last point (lifecycle.ts).
  const known = horizonOf(deps.store);
  for (const { service, result } of scored.scored)
    if (result.snapshot) known.scored(result.snapshot.seriesKey, service, result.snapshot.lastT);
  const byKey = new Map<
    string,
    {
      anomalies: GroupBatch['anomalies'];
      lastT: number;
      services: Set<string>;
      results: GroupBatch['results'][number][];
    }
  >();
  for (const { service, result } of scored.scored) {
    const key = deps.links.groupOf(service);
    const entry = byKey.get(key) ?? { anomalies: [], lastT: -Infinity, services: new Set<string>(), results: [] };
    entry.anomalies.push(...result.anomalies);
    entry.lastT = Math.max(entry.lastT, result.lastT ?? -Infinity);
    entry.services.add(service);
    entry.results.push(result);
    byKey.set(key, entry);
  }
  // Where the group's new data starts, in data time: the job's range, or its first new anomaly when that came
  // earlier (the push source ignores the range and returns every pending point, history included).
  const groups = [...byKey].map(([key, g]) => ({
    key,
    ...g,
    from: g.anomalies.reduce((m, a) => (a.t < m ? a.t : m), scored.job.range.from),
  }));
  return { ...scored, groups };
};

export async function eachGroup(
  grouped: Grouped,
  deps: PipelineDeps,
  stages: Stage<GroupBatch, unknown>,
): Promise<Settled> {
  const settled: GroupBatch[] = [];
  let failed = grouped.failed;
  for (const group of grouped.groups) {
    try {
      if (!grouped.job.warmup && Number.isFinite(group.lastT)) await stages(group, deps);
    } catch (err) {
      failed += group.results.length;
      reportFailure(err, `incidents of ${group.key}`, deps);
      continue;
    }
    settled.push(group);
  }
  return { ...grouped, settled, failed };
}
