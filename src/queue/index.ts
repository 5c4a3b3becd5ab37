/**
 * Public surface of src/queue: the port types and `openQueue`, which picks
 * BullMQ when a Redis URL is configured and the in-process queue otherwise.
 * The BullMQ module is imported lazily, so the embedded default never loads
 * a Redis client.
 * Failure modes: see bullmq/connect.ts (E_QUEUE_CONFIG, E_QUEUE_CONNECT).
 */
import type { Queue } from './types.js';
import { MemoryQueue } from './memory/index.js';

export type * from './types.js';

export interface OpenQueueOptions {
  /** redis:// or rediss:// URL; null/empty selects the in-process queue. */
  readonly redisUrl?: string | null;
  /** Redis key prefix (BullMQ only, default 'vigil'; config `queue.prefix`). */
  readonly prefix?: string;
  /** Default handlers per `process` call (default 1). */
  readonly concurrency?: number;
  /** Queues pull jobs are spread over, for affinity (BullMQ only, default 1; config `queue.lanes`; see lanes.ts). */
  readonly lanes?: number;
  /** First retry delay in ms (default 1000); doubles per attempt. */
  readonly backoffMs?: number;
  /** Redis errors after start, while it reconnects (BullMQ only). */
  readonly onError?: (err: Error) => void;
  /** Redis answers again after errors (BullMQ only): the end of an outage. */
  readonly onReady?: () => void;
  /** The pull lanes this process takes changed (BullMQ with lanes > 1 only). */
  readonly onLanes?: (owned: readonly number[], members: number, lanes: number) => void;
}

export async function openQueue(opts: OpenQueueOptions = {}): Promise<Queue> {
  const { redisUrl, ...bull } = opts;
  if (!redisUrl) return new MemoryQueue({ concurrency: opts.concurrency, backoffMs: opts.backoffMs });
  const { openBullQueue } = await import('./bullmq/index.js');
  return openBullQueue({ ...bull, redisUrl });
}

/** Deletes every Redis key under `prefix` (see bullmq/index.ts removeBullPrefix); resolves with how many. */
export async function removeQueuePrefix(redisUrl: string, prefix: string): Promise<number> {
  const { removeBullPrefix } = await import('./bullmq/index.js');
  return removeBullPrefix(redisUrl, prefix);
}
