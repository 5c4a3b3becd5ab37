/**
 * Where the tests find real PostgreSQL and Redis.
 *
 * Contract: with CI=true a suite that needs a service must run, and fails
 * loudly when the service is unreachable. Outside CI the suite is skipped
 * with a printed reason when the service is down, so `npm test` still passes
 * on a laptop without them.
 *
 * Override the addresses with TEST_DATABASE_URL / TEST_REDIS_URL.
 */
import net from 'node:net';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves whether the suite should run. Throws in CI when the service is
 * down, so the run fails instead of silently skipping.
 */
async function need(name: string, url: string, port: number): Promise<boolean> {
  const ok = await reachable(url, port);
  if (ok) return true;
  if (inCI) throw new Error(`${name} is required in CI but unreachable at ${url}`);
  console.warn(`skipping ${name} suite: ${url} unreachable (set CI=true to make this an error)`);
  return false;
}

export const postgresAvailable = await need('PostgreSQL', testDatabaseUrl, 5432);
export const redisAvailable = await need('Redis', testRedisUrl, 6379);

/** `describe` when the service is up, `describe.skip` otherwise (never in CI). */
export const describeWithPostgres = postgresAvailable ? describe : describe.skip;
export const describeWithRedis = redisAvailable ? describe : describe.skip;
