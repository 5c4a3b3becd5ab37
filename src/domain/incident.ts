import type { AnomalyKind } from './anomaly.js';

export type IncidentStatus = 'open' | 'resolved';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** A deployment suspected of causing an incident, with a reason a person can check. */
export interface Suspect {
  readonly deploymentId: string;
  /** In [0,1]: how sure attribution is that this deploy caused the incident. */
  readonly confidence: number;
  /** One line a person can check, e.g. "api v42 started 4 min before onset; p99 latency shifted at the deploy (U-test p=0.001, effect 0.8)". */
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
  /**
   * |observed - expected| in half-widths of the band, both frozen at the
   * series' onset in this incident (absent in incidents stored before it).
   */
  readonly deviation?: number;
}

/**
 * A resource that accumulates (memory, disk, queues) growing steadily in an
 * incident: how fast, and when it reaches its limit at that rate.
 */
export interface Growth {
  readonly seriesKey: string;
  readonly metric: string;
  /** Theil-Sen slope, per minute, from shortly before onset to `at`. */
  readonly perMinute: number;
  /** The limit its name implies (100 for a percentage, 1 for a ratio), or null when unknown. */
  readonly limit: number | null;
  /** Data time the limit is reached at this rate, or null. */
  readonly fullAt: number | null;
  /** Data time of the last point measured. */
  readonly at: number;
}

/** A series' expected value and band just before its onset in an incident: what later points are measured against. */
export interface Baseline {
  readonly expected: number;
  readonly band: readonly [number, number];
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
  /** Data time of the first anomaly (the onset the incident reports). */
  readonly openedAt: number;
  /** Data time the incident was confirmed (its page went out); absent in incidents stored before it existed. */
  readonly detectedAt?: number;
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
  /**
   * Per series, its pre-onset baseline, frozen at its first anomaly in this
   * incident: a detector's expected value adapts to a persisting shift, so
   * later anomalies are measured against this instead. Absent in incidents
   * stored before it existed.
   */
  readonly baselines?: Readonly<Record<string, Baseline>>;
  /** Set while one of its series is a resource growing towards its limit (a leak). */
  readonly growth?: Growth;
  /** The top suspect, or null ("no deploy suspected"). */
  readonly suspect: Suspect | null;
  /** Every ranked suspect, best first (absent before attribution ran). */
  readonly suspects?: readonly Suspect[];
  /**
   * Set on an incident opened for a new change while an earlier one was open
   * (it superseded it): only deploys started at or after this time are its
   * suspects. The earlier deploys are the superseded incident's business:
   * its deviation, still visible in these series, is what they explain.
   */
  readonly suspectsSince?: number;
  /** Why attribution concluded what it did, e.g. "no deploy suspected: no deploy within 2h before onset". */
  readonly attribution?: string;
  /** Services whose anomalies this incident groups (linked services share one incident); absent means [service]. */
  readonly services?: readonly string[];
  /**
   * Per service, the time of its first anomaly in this incident: where the
   * change started (the earliest) and which services felt it after.
   * Absent in incidents stored before it existed.
   */
  readonly onsets?: Readonly<Record<string, number>>;
  /** Set by a person (Slack button or command); an acknowledged incident still updates but stops re-paging. */
  readonly acknowledged?: { readonly by: string; readonly at: number } | null;
}

export type TimelineKind =
  | 'opened'
  | 'anomaly'
  | 'escalated'
  | 'headline'
  | 'resolved'
  | 'reopened'
  | 'joined'
  | 'note'
  | 'deploy'
  | 'action'
  | 'alert'
  | 'ack'
  | 'suspect';

export interface TimelineEntry {
  readonly at: number;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}
