/**
 * The verdicts stage: after a group's incident events are queued, each of
 * its services' deploys whose rollout plus one verdict window has passed
 * (data time) is judged once (src/correlate/attribution/verdicts.ts) and
 * its verdict announced (publish.ts), and the incidents that weigh its
 * deploy as a suspect are ranked again with it (each under its lock, as
 * rerankNeighbours does). Deploys older than a day of data time are not
 * judged any more. Effects: saveVerdict, verdict jobs, through rerank
 * (incident rows, timeline) and notify jobs for the incidents it changed.
 * Reads: one statement (unjudgedServices) for the group's services, then
 * the judging's own reads for those with a deploy not judged yet.
 */
import { judgeReadyDeploys, rerank, verdictToRerank } from '../correlate/index.js';
import { correlateDeps } from './attribute.js';
import { locked } from './lock.js';
import { publish, publishVerdict } from './publish.js';
import type { GroupBatch, GroupEvents, Stage } from './types.js';

const HORIZON = 86_400_000;

export const judgeDeploys: Stage<GroupEvents, GroupBatch> = async ({ group }, deps) => {
  // Judging reads each recent deploy's verdict first and passes over a judged one:
  // services with no deploy left to judge (most pulls) are asked once, together.
  const now = group.lastT;
  const open = Number.isFinite(now)
    ? await deps.store.unjudgedServices([...group.services], now - HORIZON, now)
    : group.services;
  for (const service of group.services) {
    if (!open.has(service)) continue;
    for (const v of await judgeReadyDeploys(service, now, {
      store: deps.store,
      window: deps.correlate.verdictWindow,
      horizon: HORIZON,
    })) {
      await publishVerdict(v, deps);
      // The verdict is evidence for the incidents that weigh its deploy: they are ranked again with it.
      for (const { incident, at } of await verdictToRerank(v.deploymentId, now, correlateDeps(deps))) {
        const changed = await locked(incident.service, deps, () => rerank([incident.id], at, correlateDeps(deps)));
        for (const next of changed) await publish({ kind: 'updated', incident: next }, deps);
      }
    }
  }
  return group;
};
