import type { AnomalyKind } from './anomaly.js';

export type IncidentStatus = 'open' | 'resolved';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** A deployment suspected of causing an incident, with a reason a person can check. */
export interface Suspect {
  readonly deploymentId: string;
  readonly confidence: number;
  readonly reason: string;
}

/** The most telling anomaly of an incident: what the headline shows. */
export interface Headline {
  readonly seriesKey: string;
  readonly metric: string;
  readonly t: number;
  readonly observed: number;
  readonly expected: number;
  readonly band: readonly [number, number];
  readonly kind: AnomalyKind;
  readonly score: number;
}

/**
 * A group of anomalies on one service. At most one incident per service is
 * open at a time; all times are epoch ms in data time.
 */
export interface Incident {
  readonly id: string;
  readonly service: string;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  readonly openedAt: number;
  readonly lastAnomalyAt: number;
  readonly resolvedAt: number | null;
  readonly seriesKeys: readonly string[];
  readonly anomalyCount: number;
  /**
   * Per series, the time of the last anomaly counted, so a retried batch
   * adds nothing twice while another series' anomalies at the same time
   * still count. Absent in incidents stored before it existed.
   */
  readonly counted?: Readonly<Record<string, number>>;
  readonly headline: Headline;
  readonly suspect: Suspect | null;
}

export type TimelineKind = 'opened' | 'anomaly' | 'escalated' | 'resolved' | 'reopened' | 'note' | 'deploy' | 'action';

export interface TimelineEntry {
  readonly at: number;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}
