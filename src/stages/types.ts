/**
 * The stage signature and what flows between the stages of a pull job
 * (src/pipeline.ts assembles them). Every stage is a `Stage<In, Out>`: it
 * takes what the stage before returned and the pipeline's ports, and
 * returns what the stage after needs. Types only.
 */
import type { Anomaly, Series } from '../domain/index.js';
import type { Detector, DetectorFactory } from '../detect/types.js';
import type { ServiceLinks } from '../correlate/index.js';
import type { IncidentEvent, IncidentPolicy } from '../incidents/index.js';
import type { Notifier } from '../notify/index.js';
import type { Logger, Metrics, OutageLog } from '../observability/index.js';
import type { JobPayloads, Queue } from '../queue/types.js';
import type { MetricSource, ServiceMapper, SourceQuery } from '../sources/index.js';
import type { FedInput, ScoredEntry, Store } from '../store/types.js';
import type { LiveDetectors } from './live.js';
import type { DeliverOptions } from './notify.js';

/** The ports every stage may use; main.ts picks the implementations. */
export interface PipelineDeps {
  readonly store: Store;
  readonly queue: Queue;
  /** Finds the source that serves a query (queries travel between processes). */
  readonly resolveSource: (query: SourceQuery) => MetricSource;
  /** vigil.yaml service rules applied to every fetched series. */
  readonly mapService: ServiceMapper;
  readonly detectors: DetectorFactory;
  /** Detectors kept in memory between pull jobs (stages/live.ts); absent: each job restores them from the store. */
  readonly live?: LiveDetectors;
  readonly threshold: number;
  /** The series that carry a service's load, which CPU is judged against (stages/score.ts); default domain LOAD. */
  readonly loadSeries?: RegExp;
  /** The metrics judged against that load: the detector's load test, and the incident lifecycle's quiet test; default domain LOAD_DRIVEN. */
  readonly loadMetrics?: RegExp;
  readonly policy: IncidentPolicy;
  /** Linked services (grouping, upstream suspects). */
  readonly links: ServiceLinks;
  /** Attribution lookback and verdict window (ms); minuteMs is 60,000 except in time-compressed simulations. */
  readonly correlate: { readonly lookback: number; readonly verdictWindow: number; readonly minuteMs: number };
  readonly notifiers: readonly Notifier[];
  /** The recommended playbook shown with an incident (src/remediate), when remediation is on. */
  readonly recommend?: DeliverOptions['recommend'];
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Logs a store outage once when it starts and once when it ends (not once per series). */
  readonly outage?: OutageLog;
  /** Called for every incident event, after notify jobs are queued (progress displays, tests). */
  readonly onEvent?: (e: IncidentEvent) => void;
}

/** One series scored from where its detector stopped (score.ts). */
export interface ScoreResult {
  readonly scored: number;
  readonly anomalies: Anomaly[];
  readonly lastT: number | null;
  readonly seconds: number;
  /**
   * What commitScored saves after the last scored point: a new checkpoint
   * (`state`, `fed` empty) or, with `keepState`, the inputs fed since the
   * stored one; and the detector itself, kept in memory once saved. Null
   * when nothing was scored.
   */
  readonly snapshot: {
    readonly seriesKey: string;
    readonly state: unknown;
    readonly lastT: number;
    readonly fed: readonly FedInput[];
    readonly keepState: boolean;
    readonly detector: Detector;
    /** The checkpoint the saved detector is on: a new one's id, or with keepState the stored one's (null: no id). */
    readonly ckpt: string | null;
    /** A new checkpoint's line (ScoredEntry.checkpoint); absent with keepState. */
    readonly checkpoint?: ScoredEntry['checkpoint'];
  } | null;
}

/** One step of a pull job. */
export type Stage<In, Out> = (input: In, deps: PipelineDeps) => Promise<Out>;

export type PullJob = JobPayloads['pull'];

/** After pull: the job's series, services mapped, raw points stored. */
export interface Fetched {
  readonly job: PullJob;
  readonly sourceId: string;
  readonly series: readonly Series[];
  /** What the source had waiting beside this page (SourcePage); more: false for a time range. */
  readonly page: { readonly pendingSeries: number; readonly more: boolean };
}

/** After score: each series that scored (in fetch order) and how many failed. */
export interface Scored extends Fetched {
  readonly scored: readonly { readonly service: string; readonly result: ScoreResult }[];
  readonly failed: number;
}

/** One service's (or linked group's) scored series: what its incidents take. */
export interface GroupBatch {
  /** The incident key: a service or a linked group's key (src/correlate/links.ts). */
  readonly key: string;
  /** Ascending by t once the lifecycle stage has taken them. */
  readonly anomalies: Anomaly[];
  /** Data time of the group's last scored point; -Infinity when none scored. */
  readonly lastT: number;
  /** The group's services that had series in this pull, in fetch order. */
  readonly services: ReadonlySet<string>;
  readonly results: readonly ScoreResult[];
  /** Start of the pull's range. */
  readonly from: number;
}

/** After group: the batches in order of their first series. */
export interface Grouped extends Fetched {
  readonly groups: readonly GroupBatch[];
  readonly failed: number;
}

/** A group's incident events so far (lifecycle, then attribution's updates). */
export interface GroupEvents {
  readonly group: GroupBatch;
  readonly events: readonly IncidentEvent[];
  /** The lifecycle had nothing to do (incidents: nothingToDo): no incident of the group changed or is open. */
  readonly idle?: boolean;
}

/** After every group went through its incident stages: the ones that did not fail. */
export interface Settled extends Grouped {
  readonly settled: readonly GroupBatch[];
}

/** After commit: how many points counted as scored. */
export interface Committed extends Settled {
  readonly points: number;
  /** The query's cursor moved with the commit (no series failed and its statement succeeded). */
  readonly cursorMoved: boolean;
}
