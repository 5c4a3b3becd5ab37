/**
 * The alerts stage: alerts (CloudWatch alarms, Alertmanager) that fired on
 * a newly opened incident's services shortly before it opened join its
 * timeline, as the webhooks add later ones to an open incident themselves.
 * "Shortly" is one verdict window. Effects: appendTimeline. Runs under the
 * group's lock (lock.ts), after the lifecycle.
 */
import { alertTimelineEntry } from '../changes/index.js';
import type { Incident } from '../domain/index.js';
import type { Store } from '../store/types.js';
import type { GroupEvents, Stage } from './types.js';

export const joinAlerts: Stage<GroupEvents, GroupEvents> = async (input, deps) => {
  for (const e of input.events) {
    if (e.kind === 'opened')
      await joinRecentAlerts(e.incident, input.group.lastT, deps.store, deps.correlate.verdictWindow);
  }
  return input;
};

export async function joinRecentAlerts(incident: Incident, now: number, store: Store, before: number): Promise<number> {
  let joined = 0;
  for (const service of incident.services ?? [incident.service]) {
    for (const e of await store.listExternalEvents({
      service,
      since: incident.openedAt - before,
      until: now + 1,
      limit: 50,
    })) {
      await store.appendTimeline(incident.id, alertTimelineEntry(e));
      joined++;
    }
  }
  return joined;
}
