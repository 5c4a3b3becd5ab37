/**
 * The incident lifecycle stage: a group's anomalies, sorted by time, go
 * through src/incidents (confirm and open, flap guard, update, resolve,
 * supersede on a new change, co-onset grouping). Attribution answers the
 * lifecycle's two questions: whether later anomalies have a new change of
 * their own, and whether an incident about to open has a deploy of its own.
 * Effects: incident rows and timeline entries (src/incidents/lifecycle.ts).
 * Runs under the group's lock (lock.ts).
 */
import { newChangeCause, ownChangeCause } from '../correlate/index.js';
import { advance } from '../incidents/index.js';
import { correlateDeps } from './attribute.js';
import type { GroupBatch, GroupEvents, Stage } from './types.js';

export const runLifecycle: Stage<GroupBatch, GroupEvents> = async (group, deps) => {
  group.anomalies.sort((a, b) => a.t - b.t);
  const batch = {
    service: group.key,
    services: deps.links.membersOf(group.key),
    anomalies: group.anomalies,
    from: group.from,
    now: group.lastT,
  };
  const attribution = correlateDeps(deps);
  const events = await advance(batch, {
    store: deps.store,
    policy: deps.policy,
    newCause: (open, fresh, now) => newChangeCause(open, fresh, now, attribution),
    ownCause: (draft, now) => ownChangeCause(draft, now, attribution),
  });
  return { group, events };
};
