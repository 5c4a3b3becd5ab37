/**
 * `vigil bench pipeline`: what a run is asked for, what the caller's
 * composition hands it, and what it reports. The run itself (run.ts) picks
 * no implementation: the CLI starts the real service (and worker
 * processes) and passes them in as a Harness.
 */
import type { Notifier } from '../../notify/index.js';
import type { CursorStore } from '../../store/types.js';
import type { MemoryPlateau } from './memory.js';
import type { Resumed } from './scrape.js';

export interface PipelineBenchOptions {
  readonly series: number;
  readonly minutes: number;
  /** Minutes of history per series pushed and scored before the measured minutes (default 0). */
  readonly warmupMinutes?: number;
  /** Seed of the synthetic values (src/bench/synthetic.ts). */
  readonly seed: number;
  /** Push requests in flight at once (each carries one minute of up to 1,000 series). */
  readonly pushConcurrency?: number;
  /** A run with no scoring progress for this long fails with E_BENCH_STALLED (ms; default 600,000). */
  readonly stallMs?: number;
  /** How often scored counts are read from every process (ms; default 100): the latency resolution. */
  readonly sampleMs?: number;
  /**
   * Wall-clock ms between the starts of two measured minutes' pushes: 60,000
   * is live one-minute data, so the run shows what share of the machine
   * keeping up takes. Absent or 0: each minute as soon as the last was
   * answered (saturation).
   */
  readonly paceMs?: number;
  readonly onProgress?: (p: PipelineProgress) => void;
}

export interface PipelineProgress {
  /** ms since the first push */
  readonly elapsedMs: number;
  readonly total: number;
  readonly pushed: number;
  readonly scored: number;
}

/** One process of the run, read through its Prometheus text (its own registry or its /metrics). */
export interface BenchProcess {
  /** e.g. "service" or "worker 1" */
  readonly role: string;
  readonly pid: number;
  metrics(): Promise<string>;
}

/** The running pipeline, started by the caller with the run's notifier as its only notifier. */
export interface Harness {
  readonly mode: 'embedded' | 'postgres+redis';
  /** Base URL of the service's HTTP server (POST /api/v1/metrics). */
  readonly url: string;
  readonly pushToken: string;
  /** Wall-clock ms between compactions of the embedded store; null on PostgreSQL (it vacuums by itself). */
  readonly compactEveryMs: number | null;
  /** Every process of the pipeline, the service first. */
  readonly processes: readonly BenchProcess[];
  readonly cursors: Pick<CursorStore, 'listCursors'>;
  /** Resolves when no job is waiting or running in any process. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

export type StartHarness = (notifier: Notifier) => Promise<Harness>;

export interface LatencySummary {
  readonly samples: number;
  /** null when there were no samples */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface ProcessReport {
  readonly role: string;
  readonly pid: number;
  /** user + system CPU seconds during the run (process.cpuUsage, read through the process's metrics) */
  readonly cpuSeconds: number;
  /** of which main-thread garbage collection pauses (vigil_nodejs_gc_duration_seconds) */
  readonly gcSeconds: number;
  /** peak resident memory since the process started */
  readonly peakRssBytes: number;
  /** the detectors its pull jobs resumed during the run: kept in memory, kept and caught up, restored from the store, new */
  readonly detectors: Resumed;
  /** resident memory once per measured minute, when that minute's points were first counted scored (memory.ts) */
  readonly rssTraceBytes: readonly number[];
  /** RSS at 25/50/75/100% of the measured minutes and its growth over their second half */
  readonly memory: MemoryPlateau;
}

export interface PipelineReport {
  readonly mode: Harness['mode'];
  readonly series: number;
  readonly minutes: number;
  readonly warmupMinutes: number;
  readonly workers: number;
  /** points sent (series x minutes), accepted (202) and refused as duplicates by the push API */
  readonly points: { readonly sent: number; readonly accepted: number; readonly duplicates: number };
  /** points the pipeline counted as scored (vigil_points_ingested_total{source="push"}, summed over processes) */
  readonly scored: number;
  /** series whose scored cursor reached their last minute */
  readonly seriesComplete: number;
  /** scored equals accepted, and every series' cursor reached its last point */
  readonly scoredExactlyOnce: boolean;
  /** from the first push to the moment every accepted point was counted scored */
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly cpu: { readonly seconds: number; readonly perThousandPoints: number };
  readonly processes: readonly ProcessReport[];
  /** a point's arrival (its push request sent) to its score being stored (counted after the batch's commit) */
  readonly scoreLatency: LatencySummary;
  /** one push request (up to 1,000 series of one minute) from sent to its 202 read: the ingestion path's own time */
  readonly pushLatency: LatencySummary;
  /** an incident's confirming point's arrival to its 'opened' notify job running */
  readonly notifyLatency: LatencySummary;
  readonly incidents: number;
  /** Harness.compactEveryMs: a run's data comes faster than the wall clock, so this sets how much data lies between compactions */
  readonly compactEveryMs: number | null;
  /** 1-minute load average of the machine at start and end (the machine may be shared) */
  readonly loadAverage: readonly [number, number];
  /** PipelineBenchOptions.paceMs; 0 at saturation */
  readonly paceMs: number;
  /**
   * The whole machine over the measured minutes (os.cpus(): every process,
   * the database servers and anything else running too): its cores, and the
   * share of their time that was busy.
   */
  readonly machineCpu: { readonly cores: number; readonly busyShare: number };
}
