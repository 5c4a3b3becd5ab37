/**
 * The attribute stage: suspects ranked for the incidents a group's batch
 * changed and for its open incident while the evidence grows, and, once
 * the whole pull is settled, for other groups' incidents that this pull's
 * anomalies may be evidence for. Which incidents and how: src/correlate
 * (attribution/rerank.ts). An incident whose ranking changed gets an
 * 'updated' event unless one is queued for it already (the notifier reads
 * the latest state). Effects: through rerank (incident rows, timeline) and
 * notify jobs for the neighbours' updates (publish.ts).
 */
import { incidentsToRank, neighboursToRerank, rerank, type RerankDeps } from '../correlate/index.js';
import type { IncidentEvent } from '../incidents/index.js';
import { locked } from './lock.js';
import { publish } from './publish.js';
import type { Committed, GroupEvents, PipelineDeps, Stage } from './types.js';

/** Runs under the group's lock (lock.ts), after the lifecycle. */
export const attributeChanged: Stage<GroupEvents, GroupEvents> = async (input, deps) => {
  // No incident of an idle group changed or is open: nothing to rank.
  if (input.idle) return input;
  const { group, events } = input;
  const ids = await incidentsToRank(
    group.key,
    group.lastT,
    events.map((e) => e.incident.id),
    correlateDeps(deps),
  );
  const updates: IncidentEvent[] = [];
  for (const incident of await rerank(ids, group.lastT, correlateDeps(deps))) {
    if (!events.some((e) => e.incident.id === incident.id)) updates.push({ kind: 'updated', incident });
  }
  return { group, events: [...events, ...updates] };
};

/** Takes each neighbour's lock in turn; its updates are queued as they come. */
export const rerankNeighbours: Stage<Committed, Committed> = async (pull, deps) => {
  if (pull.job.warmup || pull.settled.every((g) => g.anomalies.length === 0)) return pull;
  const found = pull.settled.flatMap((g) => g.anomalies);
  const now = Math.max(...pull.settled.map((g) => g.lastT));
  const groups = new Set(pull.groups.map((g) => g.key));
  for (const { incident, at } of await neighboursToRerank(found, groups, now, correlateDeps(deps))) {
    const changed = await locked(incident.service, deps, () => rerank([incident.id], at, correlateDeps(deps)));
    for (const next of changed) await publish({ kind: 'updated', incident: next }, deps);
  }
  return pull;
};

export function correlateDeps(deps: PipelineDeps): RerankDeps {
  return {
    store: deps.store,
    links: deps.links,
    lookback: deps.correlate.lookback,
    minuteMs: deps.correlate.minuteMs,
    verdictWindow: deps.correlate.verdictWindow,
  };
}
