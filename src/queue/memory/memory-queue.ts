/**
 * In-process Queue: the embedded default when no Redis is configured.
 * Contract: the Queue port (types.ts) — per-name FIFO, `concurrency` handlers
 * per name, jobId dedup while waiting/active/awaiting retry, exponential
 * backoff, non-retryable VigilError fails at once. Payloads are JSON-cloned
 * at enqueue so a job sees what a BullMQ job would, and later mutation by
 * the caller cannot leak in.
 * whenIdle() also counts jobs of a name nobody process()es yet, as BullMQ
 * does: they are waiting, so it resolves only once a handler has run them.
 * Effects: timers for retries only; nothing survives the process.
 * Failure modes: enqueue of a non-JSON payload throws E_QUEUE_PAYLOAD; after
 * close() enqueue/whenIdle reject and process throws E_QUEUE_CLOSED; close()
 * drops waiting jobs and pending retries, and waits for running handlers.
 */
import { VigilError } from '../../domain/errors.js';
import type { EnqueueOptions, JobContext, JobHandler, JobName, JobPayloads, Queue, QueueCounts } from '../types.js';
import {
  alreadyProcessingError,
  backoffDelay,
  checkAttempts,
  checkBackoff,
  checkConcurrency,
  checkJobId,
  closedError,
  DEFAULT_BACKOFF_MS,
  isPermanent,
  toError,
} from '../job-options.js';

export interface MemoryQueueOptions {
  /** Default handlers per `process` call (default 1). */
  readonly concurrency?: number;
  /** First retry delay in ms (default 1000); doubles per attempt. */
  readonly backoffMs?: number;
}

interface MemJob {
  readonly id: string;
  /** Set when the caller gave a jobId: the key held in `Lane.keys` until the job ends. */
  readonly dedupKey: string | undefined;
  readonly payload: unknown;
  readonly attempts: number;
  attempt: number;
}

// Handlers are stored per name, so the payload given to one always has that
// name's type; `never` lets one map hold all of them without `any`.
type StoredHandler = (payload: never, ctx: JobContext) => Promise<void>;

interface Lane {
  readonly name: JobName;
  handler: StoredHandler | null;
  concurrency: number;
  readonly waiting: MemJob[];
  readonly keys: Set<string>;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

type FailedListener = (name: JobName, jobId: string, error: Error) => void;

export class MemoryQueue implements Queue {
  readonly backend = 'memory' as const;
  private readonly lanes = new Map<JobName, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly failedListeners: FailedListener[] = [];
  private idleWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private drained: (() => void) | null = null;
  private closing: Promise<void> | null = null;
  private seq = 0;
  private readonly concurrency: number;
  private readonly backoffMs: number;

  constructor(opts: MemoryQueueOptions = {}) {
    this.concurrency = checkConcurrency(opts.concurrency ?? 1, 'MemoryQueue');
    this.backoffMs = checkBackoff(opts.backoffMs ?? DEFAULT_BACKOFF_MS);
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], opts?: EnqueueOptions): Promise<void> {
    if (this.closing) throw closedError(`enqueue '${name}'`);
    const attempts = checkAttempts(opts);
    const dedupKey = checkJobId(opts);
    const lane = this.lane(name);
    if (dedupKey !== undefined) {
      if (lane.keys.has(dedupKey)) return;
      lane.keys.add(dedupKey);
    }
    const id = dedupKey ?? `mem-${++this.seq}`;
    lane.waiting.push({ id, dedupKey, payload: clonePayload(name, payload), attempts, attempt: 1 });
    this.pump(lane);
  }

  process<K extends JobName>(name: K, handler: JobHandler<K>, opts?: { concurrency?: number }): void {
    if (this.closing) throw closedError(`process '${name}'`);
    const lane = this.lane(name);
    if (lane.handler) throw alreadyProcessingError(name);
    lane.concurrency = checkConcurrency(opts?.concurrency ?? this.concurrency, `process('${name}')`);
    lane.handler = handler;
    this.pump(lane);
  }

  whenIdle(): Promise<void> {
    if (this.closing) return Promise.reject(closedError('wait for idle'));
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  async counts(name: JobName): Promise<QueueCounts> {
    const lane = this.lane(name);
    // Jobs waiting out a retry backoff are "waiting" too: not done, not running.
    return {
      waiting: lane.waiting.length + lane.delayed,
      active: lane.active,
      completed: lane.completed,
      failed: lane.failed,
    };
  }

  onFailed(listener: FailedListener): void {
    this.failedListeners.push(listener);
  }

  /** Never called: a job cannot outlive the process that runs it, so nothing stalls. */
  onStalled(): void {}

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w.reject(closedError('wait for idle: close() was called'));
    // Like a BullMQ worker, let running handlers finish rather than cut them off.
    if (this.activeTotal() > 0)
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
  }

  private lane(name: JobName): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = {
        name,
        handler: null,
        concurrency: this.concurrency,
        waiting: [],
        keys: new Set(),
        active: 0,
        delayed: 0,
        completed: 0,
        failed: 0,
      };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  private pump(lane: Lane): void {
    const handler = lane.handler;
    if (!handler || this.closing) return;
    while (lane.active < lane.concurrency) {
      const job = lane.waiting.shift();
      if (!job) break;
      lane.active++;
      void this.run(lane, handler, job);
    }
  }

  private async run(lane: Lane, handler: StoredHandler, job: MemJob): Promise<void> {
    try {
      // Start the handler on a later microtask so it never runs inside the
      // caller's enqueue/process, and a synchronous throw becomes a rejection.
      await Promise.resolve().then(() => handler(job.payload as never, { id: job.id, attempt: job.attempt }));
      lane.completed++;
      this.release(lane, job);
    } catch (err) {
      if (!isPermanent(err) && job.attempt < job.attempts) this.retryLater(lane, job);
      else {
        lane.failed++;
        this.release(lane, job);
        this.emitFailed(lane.name, job.id, toError(err));
      }
    } finally {
      lane.active--;
      this.pump(lane);
      this.settle();
    }
  }

  private retryLater(lane: Lane, job: MemJob): void {
    if (this.closing) {
      this.release(lane, job);
      return;
    }
    lane.delayed++;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        lane.delayed--;
        job.attempt++;
        lane.waiting.push(job);
        this.pump(lane);
      },
      backoffDelay(this.backoffMs, job.attempt),
    );
    this.timers.add(timer);
  }

  private release(lane: Lane, job: MemJob): void {
    if (job.dedupKey !== undefined) lane.keys.delete(job.dedupKey);
  }

  private emitFailed(name: JobName, jobId: string, error: Error): void {
    for (const listener of this.failedListeners) {
      // Listeners are for logs and metrics; one that throws must not stop the queue.
      try {
        listener(name, jobId, error);
      } catch {
        /* ignored on purpose */
      }
    }
  }

  private settle(): void {
    if (this.drained && this.activeTotal() === 0) {
      this.drained();
      this.drained = null;
    }
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private isIdle(): boolean {
    for (const lane of this.lanes.values()) {
      if (lane.waiting.length > 0 || lane.active > 0 || lane.delayed > 0) return false;
    }
    return true;
  }

  private activeTotal(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.active;
    return n;
  }
}

function clonePayload(name: JobName, payload: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(payload)) as unknown;
  } catch (err) {
    throw new VigilError('E_QUEUE_PAYLOAD', `payload of '${name}' is not plain JSON: ${toError(err).message}`, false, {
      cause: err,
    });
  }
}
