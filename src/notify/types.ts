import type { Deployment, DeployVerdict, Incident, TimelineEntry } from '../domain/index.js';
import type { IncidentEventKind } from '../incidents/index.js';

/** Everything a notifier needs to render one incident event; no store access. */
export interface NotifyEvent {
  readonly kind: IncidentEventKind;
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  /** The suspected deployment, when the incident names one. */
  readonly suspect: Deployment | null;
  /** The playbook recommended for this incident, when remediation is configured and one matches. */
  readonly playbook?: { readonly name: string; readonly title: string; readonly reason?: string } | null;
  /** Recent points of the headline series for a chart (chat notifiers); absent when none are stored. */
  readonly chart?: ChartData | null;
}

/** What a metric chart draws: observed points, the expected band where known, anomalies marked. */
export interface ChartData {
  readonly title: string;
  readonly points: ReadonlyArray<{ readonly t: number; readonly v: number }>;
  readonly band?: ReadonlyArray<{ readonly t: number; readonly lo: number; readonly hi: number }>;
  readonly anomalies: ReadonlyArray<{ readonly t: number; readonly v: number }>;
}

/**
 * Adapters only say whether a failure is retryable; the notify stage of the
 * pipeline owns retries (through the queue's attempts and backoff).
 */
export type SendResult =
  | { readonly ok: true; readonly ref: string | null }
  | { readonly ok: false; readonly retryable: boolean; readonly error: string };

/** A deploy verdict to announce, with its deployment. */
export interface VerdictEvent {
  readonly verdict: DeployVerdict;
  readonly deployment: Deployment;
}

export interface Notifier {
  readonly name: string;
  /** Whether `send` uses `NotifyEvent.chart` (the notify stage loads points only for those that do). */
  readonly wantsChart?: boolean;
  send(event: NotifyEvent): Promise<SendResult>;
  /** Announces a deploy verdict; a notifier without it ignores verdicts. */
  sendVerdict?(event: VerdictEvent): Promise<SendResult>;
}
