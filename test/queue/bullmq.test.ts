import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { openQueue } from '../../src/queue/index.js';
import { openBullQueue, type BullQueue } from '../../src/queue/bullmq/index.js';
import type { JobPayloads } from '../../src/queue/types.js';
import { describeWithRedis, testRedisUrl } from '../support/services.js';
import { queueConformance } from './conformance.js';
import { deferred, latch } from './helpers.js';

// One random prefix per run, one sub-prefix per queue: tests never see each
// other's jobs, and afterAll removes every key they wrote.
const runPrefix = `vigil-test-${randomUUID().slice(0, 8)}`;
const usedPrefixes = new Set<string>();
let seq = 0;

function freshPrefix(): string {
  const prefix = `${runPrefix}-${++seq}`;
  usedPrefixes.add(prefix);
  return prefix;
}

function open(prefix: string): Promise<BullQueue> {
  // 5 ms base backoff keeps retry tests quick; the production default is 1 s.
  return openBullQueue({ redisUrl: testRedisUrl, prefix, backoffMs: 5, idlePollMs: 10 });
}

const notify = (n: number): JobPayloads['notify'] => ({ incidentId: `inc-${n}`, event: 'updated', notifier: 'slack' });

describeWithRedis('bullmq queue', () => {
  afterAll(async () => {
    // Tests close their queues, so clean up through a fresh instance per prefix.
    for (const prefix of usedPrefixes) {
      const q = await open(prefix);
      await q.obliterate();
      await q.close();
    }
  });

  queueConformance('bullmq', () => open(freshPrefix()));

  it('is what openQueue returns with a Redis URL', async () => {
    const q = await openQueue({ redisUrl: testRedisUrl, prefix: freshPrefix() });
    expect(q.backend).toBe('bullmq');
    await q.close();
  });

  it('shares jobs between two instances on the same prefix, each job processed exactly once', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix), open(prefix)]);
    try {
      const byWorker = { a: [] as string[], b: [] as string[] };
      // Each worker holds its first job until both have one, so neither can
      // take everything: with concurrency 1 the other must pick up work.
      const bothBusy = latch(2);
      const handler = (who: 'a' | 'b') => {
        let first = true;
        return async (p: JobPayloads['notify']) => {
          byWorker[who].push(p.incidentId);
          if (first) {
            first = false;
            bothBusy.hit();
            await bothBusy.reached;
          }
        };
      };
      a.process('notify', handler('a'));
      b.process('notify', handler('b'));
      const n = 40;
      for (let i = 0; i < n; i++) await (i % 2 ? a : b).enqueue('notify', notify(i));
      await a.whenIdle();
      await b.whenIdle();
      expect(byWorker.a.length).toBeGreaterThan(0);
      expect(byWorker.b.length).toBeGreaterThan(0);
      const all = [...byWorker.a, ...byWorker.b].sort();
      expect(all).toEqual(Array.from({ length: n }, (_, i) => `inc-${i}`).sort());
      expect((await a.counts('notify')).completed).toBe(n);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("keeps two prefixes on one Redis apart: neither sees, counts or runs the other's jobs", async () => {
    const [a, b] = await Promise.all([open(freshPrefix()), open(freshPrefix())]);
    try {
      const seen = { a: [] as string[], b: [] as string[] };
      a.process('notify', async (p) => {
        seen.a.push(p.incidentId);
      });
      b.process('notify', async (p) => {
        seen.b.push(p.incidentId);
      });
      // The same job id on both: dedup must not reach across prefixes either.
      for (let i = 0; i < 5; i++) await a.enqueue('notify', notify(i), { jobId: `same-${i}` });
      for (let i = 5; i < 8; i++) await b.enqueue('notify', notify(i), { jobId: `same-${i - 5}` });
      await a.whenIdle();
      await b.whenIdle();
      expect(seen.a.sort()).toEqual(['inc-0', 'inc-1', 'inc-2', 'inc-3', 'inc-4']);
      expect(seen.b.sort()).toEqual(['inc-5', 'inc-6', 'inc-7']);
      expect((await a.counts('notify')).completed).toBe(5);
      expect((await b.counts('notify')).completed).toBe(3);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses an empty or ":"-containing prefix with E_QUEUE_CONFIG', async () => {
    for (const prefix of ['', 'a:b']) {
      const err = await openQueue({ redisUrl: testRedisUrl, prefix }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_QUEUE_CONFIG' });
      expect((err as Error).message).toContain('queue prefix');
    }
  });

  it('whenIdle counts jobs another process is running', async () => {
    const prefix = freshPrefix();
    const [producer, worker] = await Promise.all([open(prefix), open(prefix)]);
    try {
      const started = deferred();
      const release = deferred();
      let handlerDone = false;
      worker.process('notify', async () => {
        started.resolve();
        await release.promise;
        handlerDone = true;
      });
      await producer.enqueue('notify', notify(1));
      await started.promise;
      // The producer has no worker of its own; it must still see the active job.
      const idle = producer.whenIdle().then(() => handlerDone);
      release.resolve();
      expect(await idle).toBe(true);
    } finally {
      await Promise.all([producer.close(), worker.close()]);
    }
  });
});

describe('bullmq queue without Redis', () => {
  it('fails fast with E_QUEUE_CONNECT naming host:port, never the password, when Redis refuses', async () => {
    const err = await openBullQueue({ redisUrl: 'redis://:s3cret-pw@127.0.0.1:1', connectTimeoutMs: 5000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'E_QUEUE_CONNECT' });
    expect((err as Error).message).toContain('127.0.0.1:1');
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('gives up with E_QUEUE_CONNECT when the server accepts but never answers', async () => {
    // A TCP server that never speaks stands in for a hung or wrong service.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const err = await openBullQueue({
        redisUrl: `redis://user:pw-xyz@127.0.0.1:${port}`,
        connectTimeoutMs: 300,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_QUEUE_CONNECT' });
      expect((err as Error).message).toContain(`127.0.0.1:${port}`);
      expect((err as Error).message).not.toContain('pw-xyz');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('rejects a malformed URL with E_QUEUE_CONFIG without echoing it', async () => {
    const err = await openQueue({ redisUrl: 'redis//:secret@host' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_QUEUE_CONFIG' });
    expect((err as Error).message).not.toContain('secret');
  });
});
