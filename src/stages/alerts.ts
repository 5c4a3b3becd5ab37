/**
 * Alerts (CloudWatch alarms, Alertmanager) that fired on an incident's
 * services shortly before it opened join its timeline, as the webhooks add
 * later ones to an open incident themselves. Effects: appendTimeline.
 */
import { alertTimelineEntry } from '../changes/index.js';
import type { Incident } from '../domain/index.js';
import type { Store } from '../store/types.js';

export async function joinRecentAlerts(incident: Incident, now: number, store: Store, before: number): Promise<number> {
  let joined = 0;
  for (const service of incident.services ?? [incident.service]) {
    for (const e of await store.listExternalEvents({ service, since: incident.openedAt - before, until: now + 1, limit: 50 })) {
      await store.appendTimeline(incident.id, alertTimelineEntry(e));
      joined++;
    }
  }
  return joined;
}
