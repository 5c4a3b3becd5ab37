/**
 * Queue on BullMQ: one BullMQ Queue + Worker per job name, keys under
 * `<prefix>:<name>:*`, so any number of processes sharing Redis and a prefix
 * share the work.
 * Contract: the Queue port (types.ts). jobId dedup uses BullMQ job ids, and
 * finished jobs are removed so the same id can be enqueued again; completed
 * and failed totals come from BullMQ metrics, which outlive removed jobs.
 * A non-retryable VigilError becomes an UnrecoverableError, so BullMQ skips
 * the remaining attempts.
 * Lanes (settings.lanes > 1): pull jobs are spread over that many queues by
 * their query (../lanes.ts), and each process consuming pull takes the
 * lanes the live members' split gives it (members.ts), so a query's jobs
 * run in one process while the members stay the same.
 * Effects: Redis reads/writes, one shared connection plus one blocking
 * connection per worker. Failure modes: see connect.ts for start-up;
 * connection errors later go to `onError` while ioredis reconnects; after
 * close() enqueue/whenIdle reject and process throws E_QUEUE_CLOSED.
 */
import { Queue as BullMQQueue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { VigilError } from '../../domain/errors.js';
import type { EnqueueOptions, JobHandler, JobName, JobPayloads, Queue, QueueCounts } from '../types.js';
import {
  alreadyProcessingError,
  checkAttempts,
  checkBackoff,
  checkConcurrency,
  checkJobId,
  checkPrefix,
  closedError,
  DEFAULT_BACKOFF_MS,
  DEFAULT_QUEUE_PREFIX,
  isPermanent,
  JOB_NAMES,
  toError,
} from '../job-options.js';
import { checkLanes, laneOf, lanesOwned, laneQueueName } from '../lanes.js';
import { claimLaneCount, LANE_COUNT_TTL_MS, laneCountKey, laneCountMismatch } from './lane-count.js';
import { fromBullId, toBullId } from './job-ids.js';
import { LaneWorkers, sharedLimit } from './lane-workers.js';
import { Members } from './members.js';
import { countPending } from './pending.js';

export interface BullQueueSettings {
  /** Key prefix; processes with the same prefix share jobs (default 'vigil'). */
  readonly prefix?: string;
  /** Default handlers per `process` call (default 1). */
  readonly concurrency?: number;
  /** First retry delay in ms (default 1000); doubles per attempt. */
  readonly backoffMs?: number;
  /** How often whenIdle() looks at Redis, in ms (default 25). */
  readonly idlePollMs?: number;
  /**
   * How long a worker's hold on a running job lasts unless renewed, in ms
   * (BullMQ default 30 s): a job whose worker died is stalled once it lapses.
   */
  readonly lockDurationMs?: number;
  /**
   * How often workers look for stalled jobs, in ms (BullMQ default 30 s).
   * The last check under a prefix holds off every worker's next one for its
   * own interval, so all processes sharing a prefix should agree on it.
   */
  readonly stalledIntervalMs?: number;
  /** Runtime errors of the connection, queues and workers (they reconnect on their own). */
  readonly onError?: (err: Error) => void;
  /** Queues pull jobs are spread over, 1 to 64 (default 1: one queue, any consumer takes any job). */
  readonly lanes?: number;
  /** How often a pull consumer beats its membership, in ms (default 2000). */
  readonly memberBeatMs?: number;
  /** A pull consumer not heard of for this long gives up its lanes, in ms (default 10000). */
  readonly memberTtlMs?: number;
  /** This process's member id (default: host, pid and a random part). */
  readonly memberId?: string;
  /** The pull lanes this process takes changed (members came or went): for a log line. */
  readonly onLanes?: (owned: readonly number[], members: number, lanes: number) => void;
}

/** How often a process renews its prefix's lane count (a sixth of the record's life). */
const LANE_COUNT_RENEW_MS = LANE_COUNT_TTL_MS / 6;

/** Carries the VigilError through BullMQ so onFailed listeners get the original. */
class PermanentFailure extends UnrecoverableError {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

function unwrap(err: Error): Error {
  return err instanceof PermanentFailure ? err.original : err;
}

type FailedListener = (name: JobName, jobId: string, error: Error) => void;
type StalledListener = (name: JobName, jobId: string) => void;
interface IdleWaiter {
  timer: NodeJS.Timeout | undefined;
  readonly reject: (err: Error) => void;
}

export class BullQueue implements Queue {
  readonly backend = 'bullmq' as const;
  readonly prefix: string;
  private readonly queues = new Map<JobName, BullMQQueue>();
  /** The pull lanes' queues, lane 0 first (the 'pull' queue itself). */
  private readonly pullLanes: BullMQQueue[] = [];
  private readonly workers = new Map<JobName, Worker>();
  private laneWorkers: LaneWorkers | null = null;
  private members: Members | null = null;
  readonly lanes: number;
  readonly memberId: string;
  private readonly memberTimes: { beatMs: number; ttlMs: number };
  private readonly laneCountTimer: NodeJS.Timeout;
  private readonly onLanes: NonNullable<BullQueueSettings['onLanes']>;
  private readonly failedListeners: FailedListener[] = [];
  private readonly stalledListeners: StalledListener[] = [];
  private readonly idleWaiters = new Set<IdleWaiter>();
  /** Errors already passed to onFailed listeners by the processor. */
  private readonly reported = new WeakSet<Error>();
  private closing: Promise<void> | null = null;
  private readonly concurrency: number;
  private readonly backoffMs: number;
  private readonly idlePollMs: number;
  private readonly lockTimes: { lockDuration?: number; stalledInterval?: number };
  private readonly onError: (err: Error) => void;

  /** Takes ownership of `client` (closed by close()); see openBullQueue. */
  constructor(
    private readonly client: Redis,
    settings: BullQueueSettings = {},
  ) {
    this.prefix = checkPrefix(settings.prefix ?? DEFAULT_QUEUE_PREFIX);
    this.concurrency = checkConcurrency(settings.concurrency ?? 1, 'BullQueue');
    this.backoffMs = checkBackoff(settings.backoffMs ?? DEFAULT_BACKOFF_MS);
    this.idlePollMs = settings.idlePollMs ?? 25;
    this.lockTimes = {
      ...(settings.lockDurationMs === undefined ? {} : { lockDuration: settings.lockDurationMs }),
      ...(settings.stalledIntervalMs === undefined ? {} : { stalledInterval: settings.stalledIntervalMs }),
    };
    this.onError = settings.onError ?? (() => {});
    this.lanes = checkLanes(settings.lanes ?? 1);
    this.memberId = settings.memberId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.onLanes = settings.onLanes ?? (() => {});
    this.memberTimes = { beatMs: settings.memberBeatMs ?? 2000, ttlMs: settings.memberTtlMs ?? 10_000 };
    const open = (queueName: string): BullMQQueue => {
      // Passing the client instance makes BullMQ share it (and leave closing it to us).
      const queue = new BullMQQueue(queueName, { connection: client, prefix: this.prefix });
      queue.on('error', this.onError);
      return queue;
    };
    for (const name of JOB_NAMES) this.queues.set(name, open(name));
    this.pullLanes.push(this.queues.get('pull')!);
    for (let lane = 1; lane < this.lanes; lane++) this.pullLanes.push(open(laneQueueName('pull', lane)));
    // Keep the prefix's lane count recorded while this process runs (lane-count.ts); a mismatch is a config error to report.
    this.laneCountTimer = setInterval(() => {
      claimLaneCount(client, this.prefix, this.lanes).then(
        (recorded) => {
          if (recorded !== this.lanes) this.onError(laneCountMismatch(this.prefix, recorded, this.lanes));
        },
        () => undefined, // Redis down: its outage is reported by the connection
      );
    }, LANE_COUNT_RENEW_MS);
    this.laneCountTimer.unref();
  }

  /** The pull lanes this process consumes now (all of them with one lane; none before its first heartbeat). */
  ownedLanes(): number[] {
    if (this.lanes === 1) return this.workers.has('pull') ? [0] : [];
    return this.laneWorkers?.owned() ?? [];
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], opts?: EnqueueOptions): Promise<void> {
    if (this.closing) throw closedError(`enqueue '${name}'`);
    const attempts = checkAttempts(opts);
    const jobId = checkJobId(opts);
    // An existing job with this id (waiting, active or delayed for retry) makes add() a no-op.
    await this.queueOf(name, payload).add(name, payload, {
      ...(jobId === undefined ? {} : { jobId: toBullId(jobId) }),
      attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  process<K extends JobName>(name: K, handler: JobHandler<K>, opts?: { concurrency?: number }): void {
    if (this.closing) throw closedError(`process '${name}'`);
    if (this.workers.has(name) || (name === 'pull' && this.laneWorkers)) throw alreadyProcessingError(name);
    const concurrency = checkConcurrency(opts?.concurrency ?? this.concurrency, `process('${name}')`);
    if (name === 'pull' && this.lanes > 1) {
      this.processLanes(handler as JobHandler<'pull'>, concurrency);
      return;
    }
    this.workers.set(name, this.worker(name, name, handler, concurrency));
  }

  /**
   * Consumes the pull lanes the members' split gives this process, following
   * it as members come and go; nothing until the first heartbeat answers.
   */
  private processLanes(handler: JobHandler<'pull'>, concurrency: number): void {
    const limit = sharedLimit(concurrency);
    const limited: JobHandler<'pull'> = (payload, ctx) => limit(() => handler(payload, ctx));
    const lanes = new LaneWorkers((lane) => this.worker(laneQueueName('pull', lane), 'pull', limited, 1));
    this.laneWorkers = lanes;
    this.members = new Members(this.client, {
      key: this.membersKey(),
      self: this.memberId,
      ...this.memberTimes,
      onChange: (members) => {
        const owned = lanesOwned(members, this.memberId, this.lanes);
        lanes.assign(owned);
        try {
          this.onLanes(owned, new Set([...members, this.memberId]).size, this.lanes);
        } catch {
          /* a log line must not stop the lanes */
        }
      },
      onError: this.onError,
    });
    this.members.start();
  }

  private worker<K extends JobName>(queueName: string, name: K, handler: JobHandler<K>, concurrency: number): Worker {
    const worker = new Worker(
      queueName,
      async (job: Job) => {
        try {
          await handler(job.data as JobPayloads[K], { id: fromBullId(job.id), attempt: job.attemptsMade + 1 });
        } catch (err) {
          const error = isPermanent(err) ? new PermanentFailure(err) : toError(err);
          // Tell listeners while the job is still active, so whenIdle() in this
          // process cannot resolve before they ran (as with the memory queue).
          if (error instanceof PermanentFailure || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            this.reported.add(error);
            this.emitFailed(name, fromBullId(job.id), unwrap(error));
          }
          throw error;
        }
      },
      {
        connection: this.client,
        prefix: this.prefix,
        concurrency,
        ...this.lockTimes,
        // Metrics keep completed/failed totals although finished jobs are removed.
        metrics: { maxDataPoints: 60 },
      },
    );
    worker.on('error', this.onError);
    worker.on('stalled', (bullId) => {
      for (const listener of this.stalledListeners) {
        try {
          listener(name, fromBullId(bullId));
        } catch {
          /* logs and metrics must not stop the worker */
        }
      }
    });
    worker.on('failed', (job, err) => {
      // Final failures the handler did not report (e.g. a job stalled too often).
      // 'failed' fires for every failed try; finishedOn is set only when no retry follows.
      if (!job || this.reported.has(err) || typeof job.finishedOn !== 'number') return;
      this.emitFailed(name, fromBullId(job.id), unwrap(err));
    });
    return worker;
  }

  whenIdle(): Promise<void> {
    if (this.closing) return Promise.reject(closedError('wait for idle'));
    const queues = this.allQueues();
    return new Promise<void>((resolve, reject) => {
      const waiter: IdleWaiter = { timer: undefined, reject };
      this.idleWaiters.add(waiter);
      // close() removes the waiter (and rejects it); a late Redis answer is then ignored.
      const check = (): void => {
        countPending(this.client, queues).then(
          (pending) => {
            if (!this.idleWaiters.has(waiter)) return;
            if (pending > 0) {
              waiter.timer = setTimeout(check, this.idlePollMs);
              return;
            }
            this.idleWaiters.delete(waiter);
            resolve();
          },
          (err: unknown) => {
            if (this.idleWaiters.delete(waiter)) reject(toError(err));
          },
        );
      };
      check();
    });
  }

  /** Counts of `name` over all of its lanes. */
  async counts(name: JobName): Promise<QueueCounts> {
    const queues = name === 'pull' ? this.pullLanes : [this.queue(name)];
    const each = await Promise.all(queues.map((q) => countsOf(q)));
    return each.reduce((sum, c) => ({
      waiting: sum.waiting + c.waiting,
      active: sum.active + c.active,
      completed: sum.completed + c.completed,
      failed: sum.failed + c.failed,
    }));
  }

  onFailed(listener: FailedListener): void {
    this.failedListeners.push(listener);
  }

  onStalled(listener: StalledListener): void {
    this.stalledListeners.push(listener);
  }

  /**
   * Deletes every key of this prefix (all job names), stopping this
   * instance's workers first. For tests and tear-down scripts only.
   */
  async obliterate(): Promise<void> {
    await this.members?.stop();
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await this.laneWorkers?.close();
    for (const queue of this.allQueues()) await queue.obliterate({ force: true });
    clearInterval(this.laneCountTimer);
    await this.client.del(laneCountKey(this.prefix), this.membersKey());
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.laneCountTimer);
    for (const waiter of this.idleWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError('wait for idle: close() was called'));
    }
    this.idleWaiters.clear();
    // Leave the members first, so the others take this process's lanes without waiting for it to expire.
    await this.members?.stop();
    // Workers next: they let running handlers finish while the connection is still up.
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await this.laneWorkers?.close();
    await Promise.all(this.allQueues().map((q) => q.close()));
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private membersKey(): string {
    return `${this.prefix}:lanes:pull:members`;
  }

  private allQueues(): BullMQQueue[] {
    return [...this.queues.values(), ...this.pullLanes.slice(1)];
  }

  /** The queue a job goes to: its query's lane for pull, the name's queue otherwise. */
  private queueOf<K extends JobName>(name: K, payload: JobPayloads[K]): BullMQQueue {
    if (name !== 'pull' || this.lanes === 1) return this.queue(name);
    return this.pullLanes[laneOf((payload as JobPayloads['pull']).query, this.lanes)]!;
  }

  private queue(name: JobName): BullMQQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new VigilError('E_QUEUE_CONFIG', `unknown job name '${String(name)}'`);
    return queue;
  }

  private emitFailed(name: JobName, jobId: string, error: Error): void {
    for (const listener of this.failedListeners) {
      // Listeners are for logs and metrics; one that throws must not stop the worker.
      try {
        listener(name, jobId, error);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}

async function countsOf(queue: BullMQQueue): Promise<QueueCounts> {
  const [c, completed, failed] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
    queue.getMetrics('completed', 0, 0),
    queue.getMetrics('failed', 0, 0),
  ]);
  const n = (state: string) => c[state] ?? 0;
  return {
    // Jobs waiting out a retry backoff are "waiting" too: not done, not running.
    waiting: n('waiting') + n('delayed') + n('prioritized') + n('waiting-children'),
    active: n('active'),
    completed: completed.meta.count,
    failed: failed.meta.count,
  };
}
