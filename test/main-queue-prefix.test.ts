/**
 * buildApp puts its BullMQ queues under config `queue.prefix` (issue 16:
 * with the prefix fixed, two deployments on one Redis took each other's jobs).
 * Lanes: processes of one prefix must agree on queue.lanes.
 * Runs against the real Redis; in CI it must run (test/support/services.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { buildApp } from '../src/main.js';
import { silentLogger } from '../src/observability/index.js';
import { openBullQueue } from '../src/queue/bullmq/index.js';
import { describeWithRedis, testRedisUrl } from './support/services.js';

describeWithRedis('buildApp and queue.prefix', () => {
  it('enqueues under the configured prefix, where a queue of another prefix never sees the job', async () => {
    const prefix = `vigil-test-${randomBytes(4).toString('hex')}`;
    const config = loadConfig(
      { REDIS_URL: testRedisUrl, VIGIL_QUEUE_PREFIX: prefix },
      mkdtempSync(join(tmpdir(), 'vigil-prefix-')),
    );
    // consume nothing: the job stays waiting where it was put.
    const app = await buildApp(config, { consume: [], ephemeralStore: true, log: silentLogger(), notifiers: [] });
    const same = await openBullQueue({ redisUrl: testRedisUrl, prefix, lanes: config.queue.lanes });
    const other = await openBullQueue({ redisUrl: testRedisUrl, prefix: `${prefix}-other` });
    try {
      await app.queue.enqueue('notify', { incidentId: 'inc-1', event: 'opened', notifier: 'console' });
      expect((await same.counts('notify')).waiting).toBe(1);
      expect((await other.counts('notify')).waiting).toBe(0);
    } finally {
      await app.close();
      await same.obliterate();
      await other.obliterate();
      await Promise.all([same.close(), other.close()]);
    }
  });

  it('refuses to start a process whose queue.lanes differs from the other processes of its prefix', async () => {
    const prefix = `vigil-test-${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-lanes-'));
    const env = { REDIS_URL: testRedisUrl, VIGIL_QUEUE_PREFIX: prefix };
    const app = await buildApp(loadConfig({ ...env, VIGIL_QUEUE_LANES: '8' }, dir), {
      consume: [],
      ephemeralStore: true,
      log: silentLogger(),
      notifiers: [],
    });
    try {
      const other = buildApp(loadConfig({ ...env, VIGIL_QUEUE_LANES: '4' }, dir), {
        consume: [],
        ephemeralStore: true,
        log: silentLogger(),
        notifiers: [],
      });
      await expect(other).rejects.toThrow(/spreads pull jobs over 8 lanes, and this process is configured with 4/);
    } finally {
      await app.close();
      const q = await openBullQueue({ redisUrl: testRedisUrl, prefix, lanes: 8 });
      await q.obliterate();
      await q.close();
    }
  });
});
