/**
 * Detector states (src/store/sql/detector-states.ts) on PGlite and on
 * PostgreSQL: versions that change with every write, whoever writes (another
 * process, another store, plain SQL); a checkpoint kept while only the
 * inputs fed since are saved; unreadable inputs reported as an unusable
 * state. Also the storage settings that make saving states cheaper
 * (migration 009, in-memory PGlite's start parameters).
 */
import { migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { createPgliteClient } from '../../src/store/pglite/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import { detectorStates, SCALAR_STATES } from '../../src/store/sql/detector-states.js';
import { VigilError } from '../../src/domain/errors.js';
import { describeWithPostgres } from '../support/services.js';
import { uid } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './pg-fixture.js';

function cacheSuite(name: string, open: () => Promise<SqlClient>): void {
  describe(`detector states and their versions: ${name}`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
    });
    afterAll(async () => {
      await db?.close();
    });

    test('a load names the version; with it the state is not read again until anyone writes the row', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      expect(await states.loadDetectorIfChanged(key, null)).toBeNull();
      await states.saveDetectorState(key, { state: { n: 1 }, lastT: 10 });
      const first = await states.loadDetectorIfChanged(key, null);
      if (first === null || first === 'unchanged') throw new Error('expected the stored state');
      expect(first).toMatchObject({ state: { n: 1 }, lastT: 10 });
      expect(await states.loadDetectorIfChanged(key, first.version)).toBe('unchanged');
      await db.query(`UPDATE detector_state SET state = '{"n": 2}'::json WHERE series_key = $1`, [key]);
      expect(await states.loadDetectorIfChanged(key, first.version)).toMatchObject({ state: { n: 2 }, lastT: 10 });
      await db.query('DELETE FROM detector_state WHERE series_key = $1', [key]);
      expect(await states.loadDetectorIfChanged(key, first.version)).toBeNull();
      expect(await states.loadDetectorState(key)).toBeNull();
    });

    test('many series in one read: each answered as alone, and an unreadable row fails only its own answer', async () => {
      const states = detectorStates(db);
      const [held, changed, missing, bad] = ['held', 'changed', 'missing', 'bad'].map((k) => `k-${uid()}-${k}`) as [
        string,
        string,
        string,
        string,
      ];
      const v = await states.saveScored('src', [
        { seriesKey: held, snapshot: { state: { n: 1 }, lastT: 1 } },
        { seriesKey: changed, snapshot: { state: { n: 2 }, lastT: 2 } },
        { seriesKey: bad, snapshot: { state: { n: 3 }, lastT: 3 } },
      ]);
      await states.saveScored('src', [{ seriesKey: changed, snapshot: { state: { n: 20 }, lastT: 2 } }]);
      await db.query(`UPDATE detector_state SET fed = 'nonsense' WHERE series_key = $1`, [bad]);
      const answers = await states.loadDetectorsIfChanged(
        [held, changed, missing, bad].map((seriesKey) => ({ seriesKey, known: v.get(seriesKey) ?? null })),
      );
      expect(answers.get(held)!()).toBe('unchanged');
      expect(answers.get(changed)!()).toMatchObject({ state: { n: 20 }, lastT: 2 });
      expect(answers.get(missing)!()).toBeNull();
      expect(() => answers.get(bad)!()).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
      expect(await states.loadDetectorsIfChanged([])).toEqual(new Map());
    });

    test('saveScored returns the version a load then reports unchanged', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      const versions = await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { n: 1 }, lastT: 5 } }]);
      expect(await states.loadDetectorIfChanged(key, versions.get(key)!)).toBe('unchanged');
      const again = await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { n: 1 }, lastT: 5 } }]);
      expect(again.get(key)).not.toBe(versions.get(key));
      expect(await states.loadDetectorIfChanged(key, versions.get(key)!)).toMatchObject({ state: { n: 1 } });
    });

    test('keepState saves the time and the inputs fed since, and keeps the stored checkpoint', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { ckpt: 1 }, lastT: 60 } }]);
      const fed = [
        [120, 1.5, null],
        [180, 2.25, 40],
      ] as const;
      await states.saveScored('src', [{ seriesKey: key, snapshot: { state: null, lastT: 180, fed }, keepState: true }]);
      expect(await states.loadDetectorState(key)).toEqual({ state: { ckpt: 1 }, lastT: 180, fed });
      // A new checkpoint clears the inputs.
      await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { ckpt: 2 }, lastT: 240, fed: [] } }]);
      expect(await states.loadDetectorState(key)).toEqual({ state: { ckpt: 2 }, lastT: 240 });
    });

    test("a row that only appended inputs to the caller's answers them without the checkpoint; any other change in full", async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      const keep = (lastT: number, fed: ReadonlyArray<readonly [number, number, number | null]>) =>
        states.saveScored('src', [{ seriesKey: key, snapshot: { state: null, lastT, fed }, keepState: true }]);
      await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { ckpt: 1 }, lastT: 60 } }]);
      const mine = [[120, 0.1 + 0.2, null]] as const;
      const v1 = (await keep(120, mine)).get(key)!;
      // Another process fed it two more inputs after mine.
      const theirs = [...mine, [180, -0, 7], [240, 1e-300, null]] as const;
      const v2 = (await keep(240, theirs)).get(key)!;
      const answer = await states.loadDetectorIfChanged(key, v1, mine);
      // As JSON stores them: -0 is written 0.
      expect(answer).toEqual({
        continues: true,
        version: v2,
        lastT: 240,
        fed: [mine[0], [180, 0, 7], [240, 1e-300, null]],
      });
      expect(await states.loadDetectorIfChanged(key, v2, theirs)).toBe('unchanged');
      // Inputs that are not the row's first ones, and no inputs at all: the whole state.
      expect(await states.loadDetectorIfChanged(key, v1, [[120, 0.3, null]])).toMatchObject({ state: { ckpt: 1 } });
      expect(await states.loadDetectorIfChanged(key, v1, [])).toMatchObject({ state: { ckpt: 1 }, lastT: 240 });
      expect(await states.loadDetectorIfChanged(key, v1)).toMatchObject({ state: { ckpt: 1 } });
      // The same inputs as the caller's, nothing more (a save that fed nothing new): the whole state.
      await keep(240, theirs);
      expect(await states.loadDetectorIfChanged(key, v2, theirs)).toMatchObject({ state: { ckpt: 1 } });
      // A new checkpoint: the caller's detector is not of its line any more.
      await states.saveScored('src', [{ seriesKey: key, snapshot: { state: { ckpt: 2 }, lastT: 300, fed: [] } }]);
      await keep(360, [[360, 5, null]]);
      expect(await states.loadDetectorIfChanged(key, v2, theirs)).toMatchObject({ state: { ckpt: 2 } });
      // In a batch, each key with its own inputs.
      const v3 = (
        await keep(420, [
          [360, 5, null],
          [420, 6, null],
        ])
      ).get(key)!;
      const other = `k-${uid()}`;
      await states.saveScored('src', [{ seriesKey: other, snapshot: { state: { ckpt: 9 }, lastT: 420 } }]);
      const answers = await states.loadDetectorsIfChanged([
        { seriesKey: key, known: v2, knownFed: [[360, 5, null]] },
        { seriesKey: other, known: null },
      ]);
      expect(answers.get(key)!()).toEqual({
        continues: true,
        version: v3,
        lastT: 420,
        fed: [
          [360, 5, null],
          [420, 6, null],
        ],
      });
      expect(answers.get(other)!()).toMatchObject({ state: { ckpt: 9 }, lastT: 420 });
    });

    test('keepState for a series with no stored checkpoint stores its inputs on a cold start (state null), cursor too', async () => {
      const store = createSqlStore(db);
      const key = `k-${uid()}`;
      const fed = [[9, 1, null]] as const;
      await store.saveScored('src', [
        { seriesKey: key, snapshot: { state: { ignored: true }, lastT: 9, fed }, keepState: true },
      ]);
      expect(await store.loadDetectorState(key)).toEqual({ state: null, lastT: 9, fed });
      expect(await store.getCursor('src', key)).toBe(9);
    });

    test('inputs stored after a checkpoint that this code cannot read are an unusable state (E_DETECTOR_STATE)', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      await states.saveDetectorState(key, { state: { n: 1 }, lastT: 1 });
      for (const bad of ['not json', '[[1, 2]]', '[[1, "2", null]]', '{"t": 1}']) {
        await db.query('UPDATE detector_state SET fed = $2 WHERE series_key = $1', [key, bad]);
        const err = await states.loadDetectorIfChanged(key, null).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VigilError);
        expect(err).toMatchObject({ code: 'E_DETECTOR_STATE' });
      }
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
