/**
 * BullMQ implementation of the Queue port: the only folder importing bullmq
 * and ioredis. `openBullQueue` connects (failing fast with E_QUEUE_CONNECT)
 * and returns a BullQueue that owns the connection.
 */
import { BullQueue, type BullQueueSettings } from './bullmq-queue.js';
import { connectRedis } from './connect.js';

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
    return new BullQueue(client, { ...opts, onError });
  } catch (err) {
    client.disconnect();
    throw err;
  }
}
