import type { Anomaly, Incident } from '../domain/index.js';
import type { AnomalyStore, IncidentStore, PointStore, SeriesRegistry } from '../store/types.js';

export interface IncidentPolicy {
  /** Anomalies on one service within `confirmWithin` needed to open an incident... */
  readonly confirmCount: number;
  readonly confirmWithin: number;
  /** ...or one anomaly at least this strong whose deviation persists over the next `persistFor` points. */
  readonly openAtScore: number;
  readonly persistFor: number;
  /** Quiet time (data time, ms) after which an open incident resolves. */
  readonly resolveAfter: number;
  /** A resolved incident that sees anomalies again within this is re-opened, not duplicated. */
  readonly flapWindow: number;
  /**
   * Whether a metric getting better (latency, errors, saturation or memory
   * falling; domain/direction.ts) may open an incident. Default false: such
   * anomalies join an open incident but never open one.
   */
  readonly openOnImprovement?: boolean;
  /**
   * Whether a change of demand (request rate, traffic, sessions: judged by
   * the metric's name, domain/direction.ts) may open an incident. Default
   * false: demand is load from outside, not a fault; its anomalies join an
   * incident that latency, errors or saturation opened.
   */
  readonly openOnDemand?: boolean;
  /**
   * A service whose anomalies start within this of another open incident's
   * onset, and move with its series, joins that incident (co-onset.ts).
   * 0 or absent: every service (or linked group) has incidents of its own.
   */
  readonly coOnsetWithin?: number;
}

export type IncidentEventKind = 'opened' | 'updated' | 'resolved';

export interface IncidentEvent {
  readonly kind: IncidentEventKind;
  readonly incident: Incident;
}

/** What one lifecycle step sees: a service's new anomalies, up to data time `now`. */
export interface IncidentBatch {
  /** The incident key: a service, or a linked group's key (src/correlate/links.ts). */
  readonly service: string;
  /** The services whose anomalies the key groups; absent means [service]. */
  readonly services?: readonly string[];
  /** Ascending by t; may repeat anomalies already counted (retries) — stages must be idempotent. */
  readonly anomalies: readonly Anomaly[];
  /** Start of the data this batch covers (the pull's range), when known. */
  readonly from?: number;
  readonly now: number;
  /**
   * Set when these anomalies superseded an open incident (a new change): its
   * id, which must not be re-opened for them, and the new change's start,
   * from which on the new incident's suspects are drawn.
   */
  readonly supersedes?: { readonly id: string; readonly since: number };
}

export interface IncidentContext {
  readonly store: IncidentStore & AnomalyStore & PointStore & Pick<SeriesRegistry, 'listSeries'>;
  readonly policy: IncidentPolicy;
  /**
   * Which metrics follow their service's load and which series carries it,
   * as the detector's load test reads them (`detection.loadMetrics`,
   * `detection.loadSeries`); default domain LOAD_DRIVEN and LOAD.
   */
  readonly load?: { readonly metrics: RegExp; readonly series: RegExp };
  /**
   * Whether anomalies that came after an open incident have a new cause of
   * their own: a change (deploy) that started after the incident was
   * confirmed and that attribution blames for them. Returns where the new
   * change's anomalies begin and the reason a person can check, or null.
   * Absent: anomalies always join the open incident.
   */
  readonly newCause?: (
    open: Incident,
    fresh: readonly Anomaly[],
    now: number,
  ) => Promise<{ since: number; reason: string } | null>;
  /**
   * Whether a deploy of the incident's own services explains `draft` (an
   * incident about to open) by itself: the suspect's reason, or null. Such a
   * service pages on its own even when it started with another open
   * incident (co-onset.ts): two deploys at once are two changes.
   * Absent: co-onset grouping does not ask.
   */
  readonly ownCause?: (draft: Incident, now: number) => Promise<string | null>;
  /**
   * The data time up to which every series of `services` is known (scored,
   * its anomalies stored; horizon.ts). Reads of series outside the batch's
   * own key (an incident's joined services, a co-onset host's series) stop
   * there: data not known yet is not evidence of quiet. Absent: known up to
   * the batch's `now`.
   */
  readonly knownThrough?: (services: readonly string[]) => number;
}

/**
 * One policy of the lifecycle: returns the batch (possibly narrowed) to go
 * on, or null to stop. Stages emit events through `emit`.
 */
export type Stage<T> = (item: T, ctx: IncidentContext, emit: (e: IncidentEvent) => void) => Promise<T | null>;
