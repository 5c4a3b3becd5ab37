/**
 * Pull lanes on real Redis: a query's jobs run in one process while the
 * members stay the same, lanes split evenly, a process that leaves hands
 * its lanes over, every job still runs exactly once, `concurrency` bounds
 * the process across its lanes, and processes that disagree on the lane
 * count are refused.
 */
import { randomUUID } from 'node:crypto';
import { openBullQueue, type BullQueue } from '../../src/queue/bullmq/index.js';
import { connectRedis } from '../../src/queue/bullmq/connect.js';
import { Members } from '../../src/queue/bullmq/members.js';
import type { JobPayloads } from '../../src/queue/types.js';
import { VigilError } from '../../src/domain/errors.js';
import { describeWithRedis, testRedisUrl } from '../support/services.js';
import { waitFor } from '../faults/support/services.js';

const runPrefix = `vigil-lanes-${randomUUID().slice(0, 8)}`;
const prefixes: string[] = [];
const freshPrefix = () => {
  const p = `${runPrefix}-${prefixes.length + 1}`;
  prefixes.push(p);
  return p;
};

function open(prefix: string, lanes: number, memberId: string, concurrency = 2): Promise<BullQueue> {
  return openBullQueue({
    redisUrl: testRedisUrl,
    prefix,
    lanes,
    concurrency,
    memberId,
    memberBeatMs: 50,
    memberTtlMs: 2000,
    idlePollMs: 10,
    backoffMs: 5,
  });
}

const pull = (shard: number, round: number): JobPayloads['pull'] => ({
  query: { sourceId: 'push', id: `push:${shard + 1}of8`, shard, params: { shard, of: 8 } },
  range: { from: round, to: round + 1 },
});

/** Enqueues one job per shard per round, each round after the last finished; returns who ran each query's jobs. */
async function rounds(via: BullQueue, rounds: number, ran: Map<string, string[]>): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (let shard = 0; shard < 8; shard++) await via.enqueue('pull', pull(shard, r), { jobId: `pull_${shard}` });
    await via.whenIdle();
  }
  expect([...ran.values()].reduce((n, who) => n + who.length, 0)).toBeGreaterThan(0);
}

describeWithRedis('bullmq pull lanes', () => {
  afterAll(async () => {
    for (const prefix of prefixes) {
      const q = await open(prefix, 4, 'cleanup');
      await q.obliterate();
      await q.close();
    }
  });

  it('runs each query in one process, splits the lanes evenly, and hands lanes over when a process leaves', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([open(prefix, 4, 'member-a'), open(prefix, 4, 'member-b')]);
    const ran = new Map<string, string[]>();
    const handler = (who: string) => async (p: JobPayloads['pull']) => {
      ran.set(p.query.id, [...(ran.get(p.query.id) ?? []), who]);
      await new Promise((r) => setImmediate(r));
    };
    try {
      a.process('pull', handler('a'));
      b.process('pull', handler('b'));
      await waitFor(
        'the two members to split the lanes',
        () => a.ownedLanes().length === 2 && b.ownedLanes().length === 2,
        20_000,
        20,
      );
      expect([...a.ownedLanes(), ...b.ownedLanes()].sort()).toEqual([0, 1, 2, 3]);

      await rounds(a, 3, ran);
      for (const [id, who] of ran) {
        expect({ id, runs: who.length }).toEqual({ id, runs: 3 });
        expect({ id, processes: new Set(who).size }).toEqual({ id, processes: 1 });
      }
      const byA = [...ran.values()].filter((who) => who[0] === 'a').length;
      expect(byA).toBe(4);

      // b leaves: a takes every lane, and every query's next job runs, in a.
      await b.close();
      await waitFor('a to take every lane', () => a.ownedLanes().length === 4, 20_000, 20);
      ran.clear();
      await rounds(a, 1, ran);
      expect(ran.size).toBe(8);
      for (const who of ran.values()) expect(who).toEqual(['a']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('runs at most `concurrency` pull jobs of a process at once, whatever the lanes', async () => {
    const prefix = freshPrefix();
    const q = await open(prefix, 4, 'only', 1);
    let active = 0;
    let most = 0;
    let runs = 0;
    try {
      q.process('pull', async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        runs++;
      });
      await waitFor('the member to take its lanes', () => q.ownedLanes().length === 4, 20_000, 20);
      for (let shard = 0; shard < 8; shard++) await q.enqueue('pull', pull(shard, 0), { jobId: `pull_${shard}` });
      await q.whenIdle();
      expect(runs).toBe(8);
      expect(most).toBe(1);
      expect((await q.counts('pull')).completed).toBe(8);
    } finally {
      await q.close();
    }
  });

  it('acts on members from the second heartbeat, so processes started together never take lanes they must give back', async () => {
    const key = `${freshPrefix()}:lanes:pull:members`;
    const clients = await Promise.all([1, 2].map(() => connectRedis(testRedisUrl, 5000, () => undefined)));
    const seen: Record<string, string[][]> = { a: [], b: [] };
    const members = (['a', 'b'] as const).map(
      (self, i) =>
        new Members(clients[i]!, {
          key,
          self,
          beatMs: 500,
          ttlMs: 5000,
          onChange: (m) => seen[self]!.push([...m]),
          onError: () => undefined,
        }),
    );
    try {
      for (const m of members) m.start();
      await waitFor('both to see a change', () => seen.a!.length > 0 && seen.b!.length > 0, 20_000, 20);
      // Each one's first beat saw at most itself and the other; acting on it would have split the lanes wrongly.
      expect(seen.a![0]).toEqual(['a', 'b']);
      expect(seen.b![0]).toEqual(['a', 'b']);
    } finally {
      await Promise.all(members.map((m) => m.stop()));
      await clients[0]!.del(key);
      for (const c of clients) c.disconnect();
    }
  });

  it('refuses a process whose lane count differs from the one its prefix uses', async () => {
    const prefix = freshPrefix();
    const first = await open(prefix, 4, 'first');
    try {
      const second = open(prefix, 8, 'second');
      await expect(second).rejects.toThrow(VigilError);
      await expect(second).rejects.toThrow(/spreads pull jobs over 4 lanes, and this process is configured with 8/);
    } finally {
      await first.close();
    }
  });
});
