import type {
  Anomaly,
  AuditEntry,
  Deployment,
  DeployVerdict,
  ExternalEvent,
  Incident,
  Point,
  Series,
  SeriesRef,
  TimeRange,
  TimelineEntry,
  Approval,
  RunPlan,
  RunState,
  RunStatus,
  StepExecution,
} from '../domain/index.js';

/** Every known series, registered the first time a source returns it. */
export interface SeriesRegistry {
  upsertSeries(ref: SeriesRef): Promise<void>;
  /** upsertSeries for many in one statement (a pull job's whole batch). */
  upsertSeriesMany(refs: readonly SeriesRef[]): Promise<void>;
  getSeries(key: string): Promise<SeriesRef | null>;
  listSeries(filter?: { service?: string }): Promise<SeriesRef[]>;
}

/** One input fed to a detector: time, value, and the load it was judged against (null: none). */
export type FedInput = readonly [t: number, v: number, load: number | null];

/**
 * Opaque, JSON-serialisable detector state (a checkpoint; null: none, a
 * detector that starts cold), the inputs fed to the detector after it, and
 * the time of the last point it saw. Restoring `state` and replaying `fed`
 * in order gives the detector at `lastT`.
 */
export interface DetectorSnapshot {
  readonly state: unknown;
  readonly lastT: number;
  /** Oldest first; absent when nothing was fed after the checkpoint. */
  readonly fed?: readonly FedInput[];
}

/** A stored snapshot and its version: every write of the row gives it a new one. */
export interface VersionedSnapshot extends DetectorSnapshot {
  readonly version: string;
  /** The checkpoint's id (ScoredEntry.checkpoint); absent: it has none. */
  readonly ckpt?: string;
}

/**
 * The answer to a caller whose detector is older than the row but of the
 * same line (`knownCkpt`): either the row keeps that checkpoint and `fed`
 * holds every input since, or the row was checkpointed once more since and
 * `prior` holds the inputs from the caller's checkpoint to the row's.
 * Replaying `prior` then `fed`, past the inputs the caller's detector was
 * already fed, gives the stored one without reading the checkpoint. The
 * caller checks that those inputs are its own.
 */
export interface ContinuedSnapshot {
  readonly continues: true;
  readonly version: string;
  readonly lastT: number;
  /** The row's checkpoint, which the caught-up detector is then on. */
  readonly ckpt: string;
  /** From the caller's checkpoint to the row's, when they differ. */
  readonly prior?: readonly FedInput[];
  /** All the inputs stored after the row's checkpoint. */
  readonly fed: readonly FedInput[];
}

/** What a load of a series' detector finds (loadDetectorIfChanged). */
export type DetectorAnswer = VersionedSnapshot | ContinuedSnapshot | 'unchanged' | null;

export interface DetectorStateStore {
  saveDetectorState(seriesKey: string, snapshot: DetectorSnapshot): Promise<void>;
  /** Many snapshots in one statement; for a key given twice the last wins. */
  saveDetectorStates(entries: ReadonlyArray<{ seriesKey: string; snapshot: DetectorSnapshot }>): Promise<void>;
  loadDetectorState(seriesKey: string): Promise<DetectorSnapshot | null>;
  /**
   * The stored snapshot with its version, or 'unchanged' when the stored
   * version is still `known` (a caller already holding that snapshot's
   * detector need not read tens of KB again); null when none is stored.
   * With `knownCkpt` (the checkpoint the caller's detector grew from), a
   * row on that line answers a ContinuedSnapshot, without the checkpoint.
   */
  loadDetectorIfChanged(seriesKey: string, known: string | null, knownCkpt?: string): Promise<DetectorAnswer>;
  /**
   * loadDetectorIfChanged for many series in one statement. Each key's
   * answer is taken by calling its function, which reads the row then: a
   * row this code cannot read throws there (E_DETECTOR_STATE), for that
   * series alone.
   */
  loadDetectorsIfChanged(
    entries: ReadonlyArray<{
      readonly seriesKey: string;
      readonly known: string | null;
      readonly knownCkpt?: string;
    }>,
  ): Promise<Map<string, () => DetectorAnswer>>;
}

/**
 * A scored series to save: its whole snapshot, or with `keepState` only
 * `lastT` and `fed` (the stored checkpoint stays; with none stored, none).
 */
export interface ScoredEntry {
  readonly seriesKey: string;
  readonly snapshot: DetectorSnapshot;
  readonly keepState?: boolean;
  /**
   * A new checkpoint's line (not with keepState): its id, the checkpoint
   * the detector grew from (null: none, e.g. a cold start) and the inputs
   * fed between the two, so that a process holding the detector of `from`
   * can catch up (ContinuedSnapshot). Absent: a checkpoint without an id.
   */
  readonly checkpoint?: {
    readonly id: string;
    readonly from: string | null;
    readonly prior: readonly FedInput[];
  };
}

/** The end of a scored batch: detector states saved and series cursors moved together. */
export interface ScoredStore {
  /**
   * saveDetectorStates and setCursors (each series' cursor to its
   * snapshot's lastT, and `cursors` besides, such as the query's) in one
   * statement: all happen or none does. Returns each saved series' new
   * version (VersionedSnapshot).
   */
  saveScored(
    sourceId: string,
    entries: ReadonlyArray<ScoredEntry>,
    cursors?: ReadonlyArray<{ seriesKey: string; t: number }>,
  ): Promise<ReadonlyMap<string, string>>;
}

export interface AnomalyQuery {
  readonly seriesKey?: string;
  readonly service?: string;
  /** Any of these services (a linked group). */
  readonly services?: readonly string[];
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
  /**
   * Incidents whose service, or one of whose listed `services`, is one of
   * these (their members); an empty list matches none.
   */
  readonly members?: readonly string[];
  /** Incidents whose onset (`openedAt`) lies in [from, to], data time. */
  readonly opened?: { readonly from: number; readonly to: number };
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
  /**
   * Inserts or replaces by id (a later event for the same deploy updates it).
   * startedAt keeps the earliest value reported; a 'started' arriving after a
   * terminal status keeps that status and finishedAt (webhooks arrive out of order).
   */
  upsertDeployment(d: Deployment): Promise<void>;
  getDeployment(id: string): Promise<Deployment | null>;
  /** Deployments with startedAt in [since, until), oldest first. */
  listDeployments(query?: { service?: string; since?: number; until?: number; limit?: number }): Promise<Deployment[]>;
}

/** Alerts and other events reported by other systems (src/changes/). */
export interface ExternalEventStore {
  /** Stores `e` unless its id is stored already; true when it was new. */
  insertExternalEvent(e: ExternalEvent): Promise<boolean>;
  /** Events with `at` in [since, until), oldest first. */
  listExternalEvents(query?: {
    service?: string;
    since?: number;
    until?: number;
    limit?: number;
  }): Promise<ExternalEvent[]>;
}

/** Webhook deliveries already accepted, per (source, id): replay protection across restarts and processes. */
export interface DeliveryStore {
  /** Records the delivery; false when it was recorded already (a replay). Atomic. */
  claimDelivery(source: string, id: string, at: number): Promise<boolean>;
  /** Forgets a delivery whose handling failed, so a redelivery is accepted. */
  releaseDelivery(source: string, id: string): Promise<void>;
  /** Deletes deliveries received before `before` (epoch ms); returns how many. */
  pruneDeliveries(before: number): Promise<number>;
}

/** Recent raw points of scored series (before/after tests, verdicts, charts); pruned by age. */
export interface PointStore {
  /** Stores points not stored yet (by seriesKey + t); a stored point keeps its value. */
  insertPoints(seriesKey: string, points: readonly Point[]): Promise<void>;
  /** insertPoints for many series in a few statements (a pull job's whole batch). */
  insertPointsMany(batch: ReadonlyArray<{ seriesKey: string; points: readonly Point[] }>): Promise<void>;
  /**
   * upsertSeriesMany(refs) and insertPointsMany(batch) in one statement
   * when the points fit one chunk (20,000), else the rest in more: what a
   * pull stores before it scores.
   */
  recordFetched(
    refs: readonly SeriesRef[],
    batch: ReadonlyArray<{ seriesKey: string; points: readonly Point[] }>,
  ): Promise<void>;
  /** Points with t in [from, to), ascending. */
  listPoints(seriesKey: string, range: TimeRange): Promise<Point[]>;
  /** Deletes points older than `before`; returns how many. */
  prunePoints(before: number): Promise<number>;
}

/** One verdict per deployment; saving again replaces it. */
export interface VerdictStore {
  saveVerdict(v: DeployVerdict): Promise<void>;
  getVerdict(deploymentId: string): Promise<DeployVerdict | null>;
  /** Newest decision first. */
  listVerdicts(query?: { service?: string; limit?: number }): Promise<DeployVerdict[]>;
  /**
   * Those of `services` with a deployment started in [since, until) that has
   * no verdict yet, in one statement: a service not returned has nothing
   * left to judge in that range.
   */
  unjudgedServices(services: readonly string[], since: number, until: number): Promise<Set<string>>;
}

/** Where a notifier posted an incident; `ts` null marks a post whose outcome is not known yet. */
export interface NotificationRef {
  readonly channel: string;
  readonly ts: string | null;
  /** Wall-clock ms of the post (or of the attempt, while `ts` is null). */
  readonly postedAt: number;
  /** The incident is a line of a storm summary message (`ts`) rather than a post of its own (default false). */
  readonly summary?: boolean;
  /** How many timeline entries are posted as thread replies already (default 0). */
  readonly replied?: number;
}

export interface NotificationRefStore {
  getNotificationRef(notifier: string, incidentId: string): Promise<NotificationRef | null>;
  /** Inserts or replaces the ref of (notifier, incidentId). */
  saveNotificationRef(notifier: string, incidentId: string, ref: NotificationRef): Promise<void>;
}

/** Notifications for a service or one series are dropped until `until` (wall-clock ms). */
export interface Silence {
  readonly id: string;
  readonly target: { readonly kind: 'service' | 'series'; readonly value: string };
  readonly until: number;
  readonly reason: string | null;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface SilenceStore {
  /** Inserts or replaces by id. */
  addSilence(s: Silence): Promise<void>;
  /** Silences with until > now, soonest expiry first. */
  listActiveSilences(now: number): Promise<Silence[]>;
  /** True when a silence was removed. */
  removeSilence(id: string): Promise<boolean>;
}

/**
 * "Not an anomaly" from a person: anomalies of `kind` on `seriesKey` whose
 * deviation (|observed - expected| / band half-width) is at most `deviation`
 * are dropped while the feedback is not revoked.
 */
export interface AnomalyFeedback {
  readonly id: string;
  readonly seriesKey: string;
  readonly kind: Anomaly['kind'];
  readonly deviation: number;
  readonly incidentId: string | null;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly revokedBy: string | null;
}

export interface FeedbackStore {
  /** Inserts or replaces by id. */
  addFeedback(f: AnomalyFeedback): Promise<void>;
  /** Oldest first; revoked entries only when asked. */
  listFeedback(query: { seriesKey?: string; includeRevoked?: boolean }): Promise<AnomalyFeedback[]>;
  /** Marks one feedback revoked; false when it does not exist or is revoked already. */
  revokeFeedback(id: string, by: string, at: number): Promise<boolean>;
}

/** Per (source, series) high-water mark: the time of the last point scored. */
export interface CursorStore {
  getCursor(sourceId: string, seriesKey: string): Promise<number | null>;
  /** Only ever moves forward: a lower value than the stored one is ignored. */
  setCursor(sourceId: string, seriesKey: string, t: number): Promise<void>;
  /** setCursor for many series in one statement. */
  setCursors(sourceId: string, entries: ReadonlyArray<{ seriesKey: string; t: number }>): Promise<void>;
  listCursors(sourceId: string): Promise<Array<{ seriesKey: string; t: number }>>;
}

export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(query?: { since?: number; limit?: number }): Promise<AuditEntry[]>;
}

/** What one push request did: points queued for scoring, and points already accepted before (ignored). */
export interface PushOutcome {
  accepted: number;
  duplicates: number;
}

/**
 * Points received by the push API, queued until scored (src/store/sql/pushed.ts
 * states the ordering contract).
 */
export interface PushedPointStore {
  /**
   * Queues every series' new points in one transaction (all or nothing).
   * Throws E_PUSH_LATE, storing nothing, when a point is older than its
   * series' newest accepted point and is not a re-sent one.
   */
  insertPushedPoints(series: readonly Series[], sourceId?: string): Promise<PushOutcome>;
  /**
   * One page of the points not yet scored (after their series' cursor of
   * `query.sourceId`, default 'push'), by series then time; with
   * `query.shard`, only the series of that part (PushShard). A page holds
   * whole services, those whose oldest pending point is oldest first (so no
   * service waits behind others that keep pushing), as many as fit in
   * `maxSeries` series (the first service however many it has), and at most
   * `maxPoints` points.
   */
  listPendingPushedPoints(query: PendingQuery): Promise<PendingPage>;
}

export interface PendingQuery {
  readonly maxPoints: number;
  /** Default: no bound. */
  readonly maxSeries?: number;
  readonly shard?: PushShard;
}

export interface PendingPage {
  readonly series: Series[];
  /** Series of the part that had points pending when the page was read, this page's included. */
  readonly pendingSeries: number;
  /** Points of the part were left out of this page (by `maxSeries` or `maxPoints`). */
  readonly more: boolean;
}

/**
 * One of `count` disjoint parts of the pushed series, so that several
 * workers score at once while a series (and its service) is only ever in one
 * part: a service's series are in part `hash(service) mod count`, unless
 * `pinned` names its part (services that share incidents must share a part).
 * `index` is in [0, count).
 */
export interface PushShard {
  readonly index: number;
  readonly count: number;
  readonly pinned?: Readonly<Record<string, number>>;
}

/**
 * Remediation runs, their approvals and step executions (src/remediate).
 * Every write is one statement or one transaction, safe under concurrent workers.
 */
export interface RemediationStore {
  /**
   * Stores a new run (status from `plan.status`). Unapproved runs of the service whose
   * expiresAt <= now are expired first. E_REMEDIATION_BUSY when the service still has an
   * active run (awaiting approval, approved or running): at most one fix per service.
   */
  createRun(plan: RunPlan, now: number): Promise<void>;
  getRun(runId: string): Promise<RunState | null>;
  /** Newest first. */
  listRuns(query?: { incidentId?: string; service?: string; limit?: number }): Promise<RunState[]>;
  /**
   * Compare-and-set: moves the run to `to` only when its status is one of `from`
   * (and, with `leaseBefore`, only when its lease is null or ended before it); true when it moved.
   */
  transitionRun(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    opts: { now: number; outcome?: string | null; leaseUntil?: number | null; leaseBefore?: number },
  ): Promise<boolean>;
  /** Records one person's approval; false when that person approved this run already. */
  addApproval(runId: string, approval: Approval & { groups: readonly string[] }): Promise<boolean>;
  /**
   * Persists a step execution under its idempotency key before the step runs.
   * Returns null when claimed, or the execution already stored under that key.
   */
  claimStep(exec: StepExecution): Promise<StepExecution | null>;
  finishStep(
    idempotencyKey: string,
    status: StepExecution['status'],
    summary: string | null,
    finishedAt: number,
  ): Promise<void>;
}

/** The whole storage surface. One SQL implementation runs on pg and on PGlite. */
export interface Store
  extends
    SeriesRegistry,
    DetectorStateStore,
    ScoredStore,
    AnomalyStore,
    IncidentStore,
    DeploymentStore,
    CursorStore,
    AuditLog,
    PushedPointStore,
    PointStore,
    VerdictStore,
    ExternalEventStore,
    DeliveryStore,
    NotificationRefStore,
    SilenceStore,
    FeedbackStore,
    RemediationStore {
  /** Which backend answers: for logs and /readyz. */
  readonly backend: 'postgres' | 'pglite';
  ping(): Promise<void>;
  /**
   * Whether the database reclaims dead rows by itself: PostgreSQL with
   * autovacuum on (the server's setting, and not switched off for the
   * pushed-points queue). Otherwise (PGlite; a server with autovacuum off)
   * the process calls compact() periodically.
   */
  vacuumsItself(): Promise<boolean>;
  /**
   * Reclaims what updates and deletes left behind in the tables every pull
   * rewrites (detector states, cursors, series, incidents, the pushed-points
   * queue): VACUUM, and on PGlite a CHECKPOINT too. Embedded PGlite runs no
   * autovacuum and no checkpointer, so there dead rows and WAL only grow (in
   * memory, for an in-memory database) until this runs; on PostgreSQL
   * without autovacuum the queue's dead rows made every listing scan more.
   * Call it between batches or periodically (compaction.ts): it takes no
   * lock the pipeline relies on (on PostgreSQL a table another process is
   * vacuuming is skipped), and on PGlite it starts only between other
   * statements and transactions, so it is safe while jobs run.
   */
  compact(): Promise<void>;
  close(): Promise<void>;
}
