/**
 * Periodic compaction of a store (store/compaction.ts): on a hand-driven
 * timer, so nothing here depends on how fast the machine is. Then PGlite
 * itself, whose locking makes compacting while jobs run safe, and
 * PostgreSQL, which is compacted only when it does not vacuum by itself.
 */
import { jest } from '@jest/globals';
import type { Series } from '../../src/domain/index.js';
import { VigilError } from '../../src/domain/errors.js';
import { openStore, startCompaction, type CompactionTimers } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import { describeOnFreshPostgres } from './pg-fixture.js';

/** Timers fired by hand: `fire()` runs the one pending timeout (there is never more than one). */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: CompactionTimers = {
    set(fn, ms) {
      pending.set(++next, { fn, ms });
      return next;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending: () => [...pending.values()],
    fire() {
      const [entry] = [...pending.entries()];
      if (!entry) throw new Error('no timer pending');
      pending.delete(entry[0]);
      entry[1].fn();
    },
  };
}

/** Lets the promise chain of one compaction settle. */
const settle = () => new Promise((r) => setImmediate(r));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('startCompaction', () => {
  it('compacts once per period, and never before the period has passed', async () => {
    const t = manualTimers();
    const compact = jest.fn(async () => undefined);
    const c = startCompaction({ compact }, { everyMs: 300_000, onFailure: () => undefined, timers: t.timers });
    expect(compact).not.toHaveBeenCalled();
    expect(t.pending().map((p) => p.ms)).toEqual([300_000]);
    t.fire();
    await settle();
    expect(compact).toHaveBeenCalledTimes(1);
    t.fire();
    await settle();
    expect(compact).toHaveBeenCalledTimes(2);
    await c.stop();
  });

  it('never runs concurrently with itself: the next period starts when one compaction ends', async () => {
    const t = manualTimers();
    const gate = deferred();
    const compact = jest.fn(() => gate.promise);
    const c = startCompaction({ compact }, { everyMs: 1000, onFailure: () => undefined, timers: t.timers });
    t.fire();
    await settle();
    expect(compact).toHaveBeenCalledTimes(1);
    expect(t.pending()).toHaveLength(0);
    gate.resolve();
    await settle();
    expect(t.pending()).toHaveLength(1);
    await c.stop();
  });

  it('reports a failure once with its error, retries every period, and says when it works again', async () => {
    const t = manualTimers();
    const failure = new VigilError('E_STORE_UNAVAILABLE', 'the database went away', true);
    const outcomes: Array<Error | null> = [failure, failure, null];
    const compact = jest.fn(async () => {
      const e = outcomes.shift();
      if (e) throw e;
    });
    const onFailure = jest.fn();
    const onRecovered = jest.fn();
    const c = startCompaction({ compact }, { everyMs: 1000, onFailure, onRecovered, timers: t.timers });
    for (let i = 0; i < 3; i++) {
      t.fire();
      await settle();
    }
    expect(compact).toHaveBeenCalledTimes(3);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure).toHaveBeenCalledWith(failure);
    expect(onRecovered).toHaveBeenCalledWith(2);
    expect(t.pending()).toHaveLength(1);
    await c.stop();
  });

  it('goes on when the failure report itself throws', async () => {
    const t = manualTimers();
    const compact = jest.fn(async () => {
      throw new Error('boom');
    });
    const c = startCompaction(
      { compact },
      {
        everyMs: 1000,
        onFailure: () => {
          throw new Error('logger broke');
        },
        timers: t.timers,
      },
    );
    t.fire();
    await settle();
    expect(t.pending()).toHaveLength(1);
    await c.stop();
  });

  it('stop() cancels the next run', async () => {
    const t = manualTimers();
    const compact = jest.fn(async () => undefined);
    const c = startCompaction({ compact }, { everyMs: 1000, onFailure: () => undefined, timers: t.timers });
    await c.stop();
    expect(t.pending()).toHaveLength(0);
    expect(compact).not.toHaveBeenCalled();
  });

  it('stop() waits for a compaction in flight and schedules none after it', async () => {
    const t = manualTimers();
    const gate = deferred();
    const compact = jest.fn(() => gate.promise);
    const c = startCompaction({ compact }, { everyMs: 1000, onFailure: () => undefined, timers: t.timers });
    t.fire();
    let stopped = false;
    const stopping = c.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(t.pending()).toHaveLength(0);
  });
});

describe('compact() on PGlite while jobs run', () => {
  // PGlite 0.5 takes one lock for exec(), query() and a whole transaction(),
  // so the VACUUM lands between transactions, never inside one ("VACUUM
  // cannot run inside a transaction block"). If an upgrade changes that, this fails.
  it('interleaves with multi-statement transactions without error or lost writes', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const series = (i: number): Series => ({
        ref: {
          key: `push:cpu{service="s${i % 4}",i="${i}"}`,
          source: 'push',
          metric: 'cpu',
          service: `s${i % 4}`,
          labels: { i: String(i) },
        },
        points: [{ t: 1_700_000_000_000 + i, v: i }],
      });
      const writes: Array<Promise<unknown>> = [];
      const compactions: Array<Promise<void>> = [];
      for (let i = 0; i < 40; i++) {
        writes.push(store.insertPushedPoints([series(i), series(i + 1000)]));
        writes.push(store.saveDetectorStates([{ seriesKey: `k${i % 5}`, snapshot: { state: { i }, lastT: i } }]));
        if (i % 4 === 0) compactions.push(store.compact());
      }
      await Promise.all([...writes, ...compactions]);
      expect((await store.listPendingPushedPoints({ maxPoints: 10_000 })).series.length).toBe(80);
      expect((await store.loadDetectorState('k4'))?.lastT).toBe(39);
    } finally {
      await store.close();
    }
  });
});

describe('PGlite never vacuums by itself', () => {
  it('vacuumsItself() is false, so every long-running process compacts it', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      expect(await store.vacuumsItself()).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describeOnFreshPostgres('compact() on PostgreSQL', (url) => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await createPgClient(url());
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("vacuumsItself() follows the server's autovacuum and the queue table's own switch", async () => {
    const store = createSqlStore(db);
    const [server] = await db.query<{ on: string }>("SELECT current_setting('autovacuum') AS on");
    expect(await store.vacuumsItself()).toBe(server!.on === 'on');
    await db.exec('ALTER TABLE pushed_points SET (autovacuum_enabled = false)');
    try {
      expect(await store.vacuumsItself()).toBe(false);
    } finally {
      await db.exec('ALTER TABLE pushed_points RESET (autovacuum_enabled)');
    }
  });

  it("vacuums the queue: a scored point's dead row is reclaimed", async () => {
    const store = createSqlStore(db);
    const ref = { key: 'push:m{service="a"}', source: 'push', metric: 'm', service: 'a', labels: { service: 'a' } };
    await store.insertPushedPoints([{ ref, points: [{ t: 1000, v: 1 }] }]);
    await store.setCursor('push', ref.key, 1000);
    const vacuums = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            "SELECT vacuum_count + autovacuum_count AS n FROM pg_stat_user_tables WHERE relname = 'pushed_points'",
          )
        )[0]!.n,
      );
    const before = await vacuums();
    await store.compact();
    expect(await vacuums()).toBeGreaterThan(before);
  });
});
