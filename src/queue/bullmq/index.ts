/**
 * BullMQ implementation of the Queue port: the only folder importing bullmq
 * and ioredis. `openBullQueue` connects (failing fast with E_QUEUE_CONNECT)
 * and returns a BullQueue that owns the connection.
 */
import { BullQueue, type BullQueueSettings } from './bullmq-queue.js';
import { connectRedis } from './connect.js';
import { checkPrefix, DEFAULT_QUEUE_PREFIX } from '../job-options.js';
import { claimLaneCount, laneCountMismatch } from './lane-count.js';
import { checkLanes } from '../lanes.js';

export { BullQueue, type BullQueueSettings } from './bullmq-queue.js';

export interface BullQueueOptions extends BullQueueSettings {
  readonly redisUrl: string;
  /** Give up connecting after this many ms (default 5000). */
  readonly connectTimeoutMs?: number;
  /** The connection is back after errors (ioredis reconnected). */
  readonly onReady?: () => void;
}

export async function openBullQueue(opts: BullQueueOptions): Promise<BullQueue> {
  const onError = opts.onError ?? (() => {});
  const client = await connectRedis(opts.redisUrl, opts.connectTimeoutMs ?? 5000, onError, opts.onReady);
  try {
    const prefix = checkPrefix(opts.prefix ?? DEFAULT_QUEUE_PREFIX);
    const lanes = checkLanes(opts.lanes ?? 1);
    const recorded = await claimLaneCount(client, prefix, lanes);
    if (recorded !== lanes) throw laneCountMismatch(prefix, recorded, lanes);
    return new BullQueue(client, { ...opts, onError });
  } catch (err) {
    client.disconnect();
    throw err;
  }
}

/**
 * Deletes every key under `prefix` (its queues, jobs and their data): for
 * runs that made a prefix of their own and must leave Redis as they found
 * it (`vigil bench pipeline`). Only a valid prefix (checkPrefix) is accepted,
 * so the pattern can match nothing else. Call it once no process uses it.
 */
export async function removeBullPrefix(redisUrl: string, prefix: string): Promise<number> {
  checkPrefix(prefix);
  const client = await connectRedis(redisUrl, 5000, () => undefined);
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return removed;
}
