import type {
  Anomaly, AuditEntry, Deployment, Incident, Series, SeriesRef, TimeRange, TimelineEntry,
} from '../domain/index.js';

/** Every known series, registered the first time a source returns it. */
export interface SeriesRegistry {
  upsertSeries(ref: SeriesRef): Promise<void>;
  getSeries(key: string): Promise<SeriesRef | null>;
  listSeries(filter?: { service?: string }): Promise<SeriesRef[]>;
}

/** Opaque, JSON-serialisable detector state plus the time of the last point it saw. */
export interface DetectorSnapshot {
  readonly state: unknown;
  readonly lastT: number;
}

export interface DetectorStateStore {
  saveDetectorState(seriesKey: string, snapshot: DetectorSnapshot): Promise<void>;
  loadDetectorState(seriesKey: string): Promise<DetectorSnapshot | null>;
}

export interface AnomalyQuery {
  readonly seriesKey?: string;
  readonly service?: string;
  /** inclusive, epoch ms */
  readonly since?: number;
  /** exclusive, epoch ms */
  readonly until?: number;
  readonly limit?: number;
}

export interface AnomalyStore {
  /** Inserts the anomalies not stored yet; returns those that were new (by seriesKey + t). */
  insertAnomalies(anomalies: readonly Anomaly[]): Promise<Anomaly[]>;
  /** Ordered by t ascending. */
  listAnomalies(query: AnomalyQuery): Promise<Anomaly[]>;
  countAnomalies(): Promise<number>;
}

export interface IncidentQuery {
  readonly status?: Incident['status'];
  readonly service?: string;
  readonly limit?: number;
}

export interface IncidentStore {
  /**
   * Atomically returns the open incident of `draft.service`, or opens `draft`
   * when there is none. Safe under concurrent workers: at most one incident
   * per service is open at any time.
   */
  openOrGetIncident(draft: Incident): Promise<{ incident: Incident; created: boolean }>;
  /** Replaces the stored incident with the same id. */
  updateIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | null>;
  /** Newest first. */
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  appendTimeline(incidentId: string, entry: TimelineEntry): Promise<void>;
  /** Oldest first. */
  timeline(incidentId: string): Promise<TimelineEntry[]>;
}

export interface DeploymentStore {
  /** Inserts or replaces by id (a later event for the same deploy updates it). */
  upsertDeployment(d: Deployment): Promise<void>;
  getDeployment(id: string): Promise<Deployment | null>;
  /** Deployments with startedAt in [since, until), oldest first. */
  listDeployments(query?: { service?: string; since?: number; until?: number; limit?: number }): Promise<Deployment[]>;
}

/** Per (source, series) high-water mark: the time of the last point scored. */
export interface CursorStore {
  getCursor(sourceId: string, seriesKey: string): Promise<number | null>;
  /** Only ever moves forward: a lower value than the stored one is ignored. */
  setCursor(sourceId: string, seriesKey: string, t: number): Promise<void>;
  listCursors(sourceId: string): Promise<Array<{ seriesKey: string; t: number }>>;
}

export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query?: { since?: number; limit?: number }): Promise<AuditEntry[]>;
}

/** Points received by the push API, kept until pulled and pruned. */
export interface PushedPointStore {
  /** Stores every series' points in one transaction (all or nothing); returns how many points. */
  insertPushedPoints(series: readonly Series[]): Promise<number>;
  /** Pushed series with their points in [from, to), points ascending. */
  listPushedPoints(range: TimeRange): Promise<Series[]>;
  /** Deletes points older than `before`; returns how many. */
  prunePushedPoints(before: number): Promise<number>;
}

/** The whole storage surface. One SQL implementation runs on pg and on PGlite. */
export interface Store
  extends SeriesRegistry, DetectorStateStore, AnomalyStore, IncidentStore, DeploymentStore, CursorStore, AuditLog, PushedPointStore {
  /** Which backend answers: for logs and /readyz. */
  readonly backend: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}
