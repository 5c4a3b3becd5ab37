/**
 * Something another system reported about a service, kept beside Vigil's own
 * findings: today, alerts (CloudWatch alarms, Alertmanager). Times are epoch ms.
 */
export type ExternalEventKind = 'alert';
/** firing: the alarm is in ALARM / the alert fires; resolved: back to OK. */
export type ExternalEventStatus = 'firing' | 'resolved';

export interface ExternalEvent {
  /** Stable per state change, so a re-sent alert is recognised (e.g. `cloudwatch-<alarm>-ALARM-<ms>`). */
  readonly id: string;
  /** Which system reported it: 'cloudwatch', 'alertmanager'. */
  readonly source: string;
  readonly service: string;
  /** When the state changed (firing: started; resolved: ended). */
  readonly at: number;
  readonly kind: ExternalEventKind;
  readonly status: ExternalEventStatus;
  /** One line: the alarm or alert name, or its summary. */
  readonly title: string;
  /** The reason or description, when the source gave one. */
  readonly detail: string | null;
  readonly url: string | null;
  readonly labels: Readonly<Record<string, string>>;
}
