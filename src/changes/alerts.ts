/**
 * Records an alert and puts it on the timeline of its service's open
 * incident. Inputs: one ExternalEvent. Effects: insertExternalEvent; when
 * the event is new and its service has an open incident, one appendTimeline
 * entry of kind 'alert'. A re-sent alert (same id) changes nothing.
 * Failure modes: store errors propagate; when the append fails after the
 * insert, a redelivery does not append again (at most once on the timeline).
 */
import type { ExternalEvent, TimelineEntry } from '../domain/index.js';
import type { ExternalEventStore, IncidentStore } from '../store/types.js';

export type AlertStore = ExternalEventStore & Pick<IncidentStore, 'listIncidents' | 'appendTimeline'>;

export interface AlertOutcome {
  readonly id: string;
  /** False when this alert was recorded before. */
  readonly new: boolean;
  /** The open incident whose timeline got the alert, if any. */
  readonly incidentId: string | null;
}

export async function recordAlert(store: AlertStore, e: ExternalEvent): Promise<AlertOutcome> {
  if (!(await store.insertExternalEvent(e))) return { id: e.id, new: false, incidentId: null };
  const [open] = await store.listIncidents({ service: e.service, status: 'open', limit: 1 });
  if (!open) return { id: e.id, new: true, incidentId: null };
  await store.appendTimeline(open.id, alertTimelineEntry(e));
  return { id: e.id, new: true, incidentId: open.id };
}

/** The timeline line of an alert, e.g. "cloudwatch alert checkout-5xx firing: Threshold Crossed: ...". */
export function alertTimelineEntry(e: ExternalEvent): TimelineEntry {
  const text = `${e.source} alert ${e.title} ${e.status}${e.detail ? `: ${e.detail}` : ''}`;
  return {
    at: e.at,
    kind: 'alert',
    text: text.length > 300 ? `${text.slice(0, 299)}…` : text,
    data: { eventId: e.id, source: e.source, status: e.status, url: e.url },
  };
}
