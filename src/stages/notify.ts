/**
 * The notify stage: loads what a notifier needs and delivers one event to
 * one notifier. Retries belong to the queue: a retryable failure throws a
 * retryable VigilError, a permanent one a non-retryable VigilError.
 */
import { VigilError } from '../domain/errors.js';
import type { IncidentEventKind } from '../incidents/index.js';
import type { Notifier } from '../notify/index.js';
import type { Store } from '../store/types.js';

export async function deliver(
  store: Store,
  notifier: Notifier,
  incidentId: string,
  kind: IncidentEventKind,
): Promise<void> {
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new VigilError('E_NOTIFY_UNKNOWN_INCIDENT', `incident ${incidentId} does not exist`);
  const [timeline, suspect] = await Promise.all([
    store.timeline(incidentId),
    incident.suspect ? store.getDeployment(incident.suspect.deploymentId) : Promise.resolve(null),
  ]);
  const result = await notifier.send({ kind, incident, timeline, suspect });
  if (!result.ok) {
    throw new VigilError('E_NOTIFY_FAILED', `${notifier.name}: ${result.error}`, result.retryable);
  }
}
