import type { Deployment, Incident, TimelineEntry } from '../domain/index.js';
import type { IncidentEventKind } from '../incidents/index.js';

/** Everything a notifier needs to render one incident event; no store access. */
export interface NotifyEvent {
  readonly kind: IncidentEventKind;
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  /** The suspected deployment, when the incident names one. */
  readonly suspect: Deployment | null;
}

/**
 * Adapters only say whether a failure is retryable; the notify stage of the
 * pipeline owns retries (through the queue's attempts and backoff).
 */
export type SendResult =
  | { readonly ok: true; readonly ref: string | null }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

export interface Notifier {
  readonly name: string;
  send(event: NotifyEvent): Promise<SendResult>;
}
