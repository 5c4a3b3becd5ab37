/**
 * The verdicts stage: after a group's incident events are queued, each of
 * its services' deploys whose rollout plus one verdict window has passed
 * (data time) is judged once (src/correlate/attribution/verdicts.ts) and
 * its verdict announced (publish.ts). Deploys older than a day of data time
 * are not judged any more. Effects: saveVerdict, verdict jobs.
 */
import { judgeReadyDeploys } from '../correlate/index.js';
import { publishVerdict } from './publish.js';
import type { GroupBatch, GroupEvents, Stage } from './types.js';

const HORIZON = 86_400_000;

export const judgeDeploys: Stage<GroupEvents, GroupBatch> = async ({ group }, deps) => {
  for (const service of group.services) {
    for (const v of await judgeReadyDeploys(service, group.lastT, {
      store: deps.store,
      window: deps.correlate.verdictWindow,
      horizon: HORIZON,
    })) {
      await publishVerdict(v, deps);
    }
  }
  return group;
};
