/**
 * The detector-state cache (src/store/sql/detector-states.ts): bounded, and
 * never trusted over the database. A state written by anyone else (another
 * process, another store, plain SQL) is what the next load returns, on
 * PGlite and on PostgreSQL. Also the storage settings that make saving
 * states cheaper (migration 009, in-memory PGlite's start parameters).
 */
import { migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { createPgliteClient } from '../../src/store/pglite/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import { detectorStates, SCALAR_STATES, StateCache } from '../../src/store/sql/detector-states.js';
import { describeWithPostgres } from '../support/services.js';
import { uid } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './pg-fixture.js';

describe('StateCache', () => {
  const entry = (json: string) => ({ version: '1', lastT: 1, json });

  test('evicts the least recently used entries beyond its budget of characters', () => {
    const cache = new StateCache(10);
    cache.set('a', entry('aaaa'));
    cache.set('b', entry('bbbb'));
    expect(cache.get('a')?.json).toBe('aaaa'); // a is now the most recently used
    cache.set('c', entry('cccc'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.json).toBe('aaaa');
    expect(cache.get('c')?.json).toBe('cccc');
    expect(cache.chars).toBe(8);
  });

  test('replacing an entry counts its new size only; one larger than the budget is not kept', () => {
    const cache = new StateCache(10);
    cache.set('a', entry('aaaaaa'));
    cache.set('a', entry('aa'));
    expect(cache.chars).toBe(2);
    cache.set('a', entry('x'.repeat(11)));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.chars).toBe(0);
  });
});

function cacheSuite(name: string, open: () => Promise<SqlClient>): void {
  describe(`detector states with a cache: ${name}`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
    });
    afterAll(async () => {
      await db?.close();
    });

    test('a state changed behind the cache is read again, even with the same lastT', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      await states.saveDetectorState(key, { state: { n: 1 }, lastT: 10 });
      expect(await states.loadDetectorState(key)).toEqual({ state: { n: 1 }, lastT: 10 });
      await db.query(`UPDATE detector_state SET state = '{"n": 2}'::json WHERE series_key = $1`, [key]);
      expect(await states.loadDetectorState(key)).toEqual({ state: { n: 2 }, lastT: 10 });
      await db.query('DELETE FROM detector_state WHERE series_key = $1', [key]);
      expect(await states.loadDetectorState(key)).toBeNull();
    });

    test('a second store on the same database sees the first one saving, and the first the second', async () => {
      const [one, two] = [createSqlStore(db), createSqlStore(db)];
      const key = `k-${uid()}`;
      await one.saveScored('src', [{ seriesKey: key, snapshot: { state: { by: 'one' }, lastT: 1 } }]);
      expect(await two.loadDetectorState(key)).toEqual({ state: { by: 'one' }, lastT: 1 });
      await two.saveScored('src', [{ seriesKey: key, snapshot: { state: { by: 'two' }, lastT: 2 } }]);
      expect(await one.loadDetectorState(key)).toEqual({ state: { by: 'two' }, lastT: 2 });
      await one.saveDetectorStates([{ seriesKey: key, snapshot: { state: { by: 'one again' }, lastT: 2 } }]);
      expect(await two.loadDetectorState(key)).toEqual({ state: { by: 'one again' }, lastT: 2 });
    });

    test('states are stored uncompressed (migration 009): compressing them cost more than saving them', async () => {
      const [row] = await db.query<{ s: string }>(
        `SELECT attstorage AS s FROM pg_attribute WHERE attrelid = 'detector_state'::regclass AND attname = 'state'`,
      );
      expect(row?.s).toBe('e');
    });

    test(`a batch beyond ${SCALAR_STATES} states (one parameter each up to there) saves and loads them all`, async () => {
      const states = detectorStates(db);
      const keys = Array.from({ length: SCALAR_STATES + 1 }, (_, i) => `k-${uid()}-${i}`);
      await states.saveDetectorStates(
        keys.map((k, i) => ({ seriesKey: k, snapshot: { state: { i, q: '"\\' }, lastT: i } })),
      );
      const store = createSqlStore(db);
      expect(await store.loadDetectorState(keys[SCALAR_STATES]!)).toEqual({
        state: { i: SCALAR_STATES, q: '"\\' },
        lastT: SCALAR_STATES,
      });
      expect(await store.loadDetectorState(keys[0]!)).toEqual({ state: { i: 0, q: '"\\' }, lastT: 0 });
    });

    test('a cache too small for any state still loads every state correctly', async () => {
      const states = detectorStates(db, new StateCache(5));
      const key = `k-${uid()}`;
      await states.saveDetectorState(key, { state: { long: 'x'.repeat(100) }, lastT: 3 });
      expect(await states.loadDetectorState(key)).toEqual({ state: { long: 'x'.repeat(100) }, lastT: 3 });
      expect(await states.loadDetectorState(key)).toEqual({ state: { long: 'x'.repeat(100) }, lastT: 3 });
    });
  });
}

cacheSuite('PGlite in memory', () => createPgliteClient('memory://'));

test('in-memory PGlite writes no full-page images and does not zero-fill WAL: it has no crash to recover from', async () => {
  const db = await createPgliteClient('memory://');
  try {
    expect(await db.query('SHOW full_page_writes')).toEqual([{ full_page_writes: 'off' }]);
    expect(await db.query('SHOW wal_init_zero')).toEqual([{ wal_init_zero: 'off' }]);
  } finally {
    await db.close();
  }
});

describeWithPostgres('on PostgreSQL', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase();
  });
  afterAll(async () => {
    await fresh?.drop();
  });
  cacheSuite('PostgreSQL', () => createPgClient(fresh.url));
});
