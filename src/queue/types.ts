import type { SourceQuery, TimeRange } from '../domain/index.js';

/**
 * The job contracts between scheduler, workers and notifiers. Payloads are
 * plain JSON so that they cross process boundaries (BullMQ) unchanged.
 */
export interface JobPayloads {
  /**
   * Fetch one query's range, score it in order, update incidents. With
   * `warmup` (backfill) points only train the detectors and store anomalies:
   * no incident opens and nobody is notified about history.
   */
  pull: { readonly query: SourceQuery; readonly range: TimeRange; readonly warmup?: boolean };
  /**
   * Deliver one incident event to one notifier (so a retry never re-sends to
   * the others). `ignoreSilences`: the re-render follows something people
   * asked for (a remediation run's progress), so a silence does not hide it.
   */
  notify: {
    readonly incidentId: string;
    readonly event: 'opened' | 'updated' | 'resolved';
    readonly notifier: string;
    readonly ignoreSilences?: boolean;
  };
  /** Announce one deploy verdict through one notifier. */
  verdict: { readonly deploymentId: string; readonly notifier: string };
  /**
   * Execute one approved remediation run (src/remediate). Enqueued with jobId
   * `remediate_<runId>`; executing a run again is safe (its steps' idempotency keys).
   */
  remediate: { readonly runId: string; readonly incidentId: string; readonly playbook: string };
}

export type JobName = keyof JobPayloads;

export interface EnqueueOptions {
  /**
   * Deduplication key: while a job with this id is waiting or running, a
   * second enqueue with the same id is a no-op.
   */
  readonly jobId?: string;
  /** Total tries including the first (default 3); backoff is exponential. */
  readonly attempts?: number;
}

export interface JobContext {
  readonly id: string;
  readonly attempt: number;
}

export type JobHandler<K extends JobName> = (payload: JobPayloads[K], ctx: JobContext) => Promise<void>;

export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly failed: number;
  readonly completed: number;
}

/**
 * Work queue port. Handlers of one job name may run concurrently up to
 * `concurrency`; a handler that throws is retried up to `attempts`, unless it
 * throws a VigilError with retryable=false, which fails the job at once.
 */
export interface Queue {
  readonly backend: 'bullmq' | 'memory';
  enqueue<K extends JobName>(name: K, payload: JobPayloads[K], opts?: EnqueueOptions): Promise<void>;
  /** Starts consuming `name` in this process. Call once per name. */
  process<K extends JobName>(name: K, handler: JobHandler<K>, opts?: { concurrency?: number }): void;
  /** Resolves when no job of any name is waiting or active (counting all processes). */
  whenIdle(): Promise<void>;
  counts(name: JobName): Promise<QueueCounts>;
  /** Subscribe to failures after the last attempt, for logs and metrics. */
  onFailed(listener: (name: JobName, jobId: string, error: Error) => void): void;
  /**
   * Subscribe to stalled jobs: a job whose worker stopped mid-job (killed with
   * kill -9, crashed, or blocked past its lock) was found still marked active
   * and given back to the queue (or failed, past BullMQ's stall limit). Each
   * stall is reported once, by whichever process's worker of that job name
   * found it. The in-process queue never reports one: its jobs die with it.
   */
  onStalled(listener: (name: JobName, jobId: string) => void): void;
  close(): Promise<void>;
}
