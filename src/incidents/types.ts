import type { Anomaly, Incident } from '../domain/index.js';
import type { AnomalyStore, IncidentStore } from '../store/types.js';

export interface IncidentPolicy {
  /** Anomalies on one service within `confirmWithin` needed to open an incident... */
  readonly confirmCount: number;
  readonly confirmWithin: number;
  /** ...or one anomaly at least this strong. */
  readonly openAtScore: number;
  /** Quiet time (data time, ms) after which an open incident resolves. */
  readonly resolveAfter: number;
  /** A resolved incident that sees anomalies again within this is re-opened, not duplicated. */
  readonly flapWindow: number;
}

export type IncidentEventKind = 'opened' | 'updated' | 'resolved';

export interface IncidentEvent {
  readonly kind: IncidentEventKind;
  readonly incident: Incident;
}

/** What one lifecycle step sees: a service's new anomalies, up to data time `now`. */
export interface IncidentBatch {
  readonly service: string;
  /** Ascending by t; may repeat anomalies already counted (retries) — stages must be idempotent. */
  readonly anomalies: readonly Anomaly[];
  readonly now: number;
}

export interface IncidentContext {
  readonly store: IncidentStore & AnomalyStore;
  readonly policy: IncidentPolicy;
}

/**
 * One policy of the lifecycle: returns the batch (possibly narrowed) to go
 * on, or null to stop. Stages emit events through `emit`.
 */
export type Stage<T> = (item: T, ctx: IncidentContext, emit: (e: IncidentEvent) => void) => Promise<T | null>;
