/**
 * The incident lifecycle stage: a group's anomalies, sorted by time, go
 * through src/incidents (confirm and open, flap guard, update, resolve,
 * supersede on a new change, co-onset grouping). Attribution answers the
 * lifecycle's two questions: whether later anomalies have a new change of
 * their own, and whether an incident about to open has a deploy of its own.
 * Effects: incident rows and timeline entries (src/incidents/lifecycle.ts).
 * Runs under the group's lock (lock.ts).
 *
 * Job order does not change the outcome: the series of one group are pulled
 * by separate jobs that run concurrently, so the lifecycle does not take a
 * job's own anomalies up to its own last point. It takes the group's stored
 * anomalies up to the time every series of the group is scored through
 * (src/incidents/horizon.ts, recorded by group.ts), and that time is the
 * batch's `now`, so whichever job gets there last decides, on all the data.
 *
 * A quiet group (no anomaly near, no open incident: nothingToDo) skips the
 * lifecycle's stages and, marked idle, attribution's: neither could change
 * anything, and most groups of a fleet are quiet most minutes.
 */
import { newChangeCause, ownChangeCause } from '../correlate/index.js';
import { LOAD, LOAD_DRIVEN } from '../domain/index.js';
import { advance, nothingToDo } from '../incidents/index.js';
import { correlateDeps } from './attribute.js';
import { horizonOf } from './lock.js';
import type { GroupBatch, GroupEvents, Stage } from './types.js';

export const runLifecycle: Stage<GroupBatch, GroupEvents> = async (group, deps) => {
  const known = horizonOf(deps.store);
  const services = deps.links.membersOf(group.key);
  // A series silent since well before this range (stopped, or its source down) holds nothing up.
  const freshSince = group.from - deps.policy.resolveAfter;
  const now = known.through(services, freshSince) ?? group.lastT;
  // Also what an earlier job of the group scored but could not decide on yet.
  const from = Math.min(group.from, (known.doneThrough(group.key) ?? Infinity) + 1);
  // Its window holds the batch's own [from, now]: quiet there means no anomaly to take either.
  if (await nothingToDo({ service: group.key, services, anomalies: [], from, now }, deps)) {
    known.advance(group.key, now);
    return { group: { ...group, lastT: now }, events: [], idle: true };
  }
  const anomalies =
    now < from ? [] : await deps.store.listAnomalies({ services, since: from, until: now + 1, limit: 100_000 });
  anomalies.sort((a, b) => a.t - b.t);
  const batch = { service: group.key, services, anomalies, from, now };
  const attribution = correlateDeps(deps);
  const events = await advance(batch, {
    store: deps.store,
    policy: deps.policy,
    load: { metrics: deps.loadMetrics ?? LOAD_DRIVEN, series: deps.loadSeries ?? LOAD },
    newCause: (open, fresh, t) => newChangeCause(open, fresh, t, attribution),
    ownCause: (draft, t) => ownChangeCause(draft, t, attribution),
    knownThrough: (of) => known.through(of, freshSince) ?? Infinity,
  });
  known.advance(group.key, now);
  // Attribution and verdicts run as of the same data time.
  return { group: { ...group, lastT: now }, events };
};
