/**
 * Opens the one ioredis connection a BullQueue shares between its queues
 * and workers (workers duplicate it for their blocking reads).
 * Contract: resolves only once Redis has answered PING; otherwise rejects
 * within `timeoutMs` instead of retrying forever in the background.
 * Effects: one TCP connection. Failure modes: a malformed URL throws
 * E_QUEUE_CONFIG; unreachable, refusing or auth-failing Redis throws
 * E_QUEUE_CONNECT naming host:port. Neither message contains the URL's
 * password. After start, `onError` gets connection errors while ioredis
 * reconnects by itself.
 */
import { Redis } from 'ioredis';
import { VigilError } from '../../domain/errors.js';

/** "host:port" of a redis:// or rediss:// URL, safe to print (no credentials). */
export function redisTarget(redisUrl: string): string {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    // Never echo the URL: it may carry a password.
    throw new VigilError(
      'E_QUEUE_CONFIG',
      'redis URL is not a valid URL (expected redis://[:password@]host[:port][/db])',
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new VigilError('E_QUEUE_CONFIG', `redis URL must start with redis:// or rediss://, got ${url.protocol}//`);
  }
  return `${url.hostname || '127.0.0.1'}:${url.port || '6379'}`;
}

export async function connectRedis(
  redisUrl: string,
  timeoutMs: number,
  onError: (err: Error) => void,
  onReady: () => void = () => {},
): Promise<Redis> {
  const target = redisTarget(redisUrl);
  // BullMQ needs maxRetriesPerRequest: null so blocking worker reads never give up.
  // No reconnects until the first PING answered: a refused start then ends the
  // client cleanly instead of leaving a retry timer that keeps Node alive.
  let started = false;
  const client = new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    // disconnect() ends the socket gracefully and waits this long before
    // destroying it; 2 s (the default) keeps Node alive after a failed start.
    disconnectTimeout: 100,
    retryStrategy: (times) => (started ? Math.min(times * 100, 3000) : null),
  });
  let lastError: Error | undefined;
  const rememberError = (err: Error) => {
    lastError = err;
  };
  client.on('error', rememberError);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(lastError ?? new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (err) {
    // An ended client has nothing to close; disconnect() would arm a 2 s timer on its dead socket.
    if (client.status !== 'end') client.disconnect();
    const reason = (lastError ?? (err instanceof Error ? err : new Error(String(err)))).message;
    throw new VigilError('E_QUEUE_CONNECT', `cannot connect to Redis at ${target}: ${reason}`, true, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  started = true;
  client.off('error', rememberError);
  client.on('error', onError);
  // After start, 'ready' means a reconnect succeeded: the end of an outage.
  client.on('ready', onReady);
  return client;
}
