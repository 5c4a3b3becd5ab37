/**
 * Detector states (src/store/sql/detector-states.ts) on PGlite and on
 * PostgreSQL: versions that change with every write, whoever writes (another
 * process, another store, plain SQL); a checkpoint kept while only the
 * inputs fed since are saved; unreadable inputs reported as an unusable
 * state. Also the storage settings that make saving states cheaper
 * (migration 009, in-memory PGlite's start parameters).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClient } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { UNLOGGED_IN_MEMORY } from '../../src/store/pglite/unlogged.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { createPgliteClient } from '../../src/store/pglite/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import { detectorStates, SCALAR_STATES } from '../../src/store/sql/detector-states.js';
import { VigilError } from '../../src/domain/errors.js';
import { uid } from './fixtures.js';
import { describeOnFreshPostgres } from './pg-fixture.js';

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

    test("a row on the line of the caller's checkpoint answers the inputs without the checkpoint; any other change in full", async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      type Fed = ReadonlyArray<readonly [number, number, number | null]>;
      const keep = async (lastT: number, fed: Fed) =>
        (
          await states.saveScored('src', [{ seriesKey: key, snapshot: { state: null, lastT, fed }, keepState: true }])
        ).get(key)!;
      const checkpoint = async (id: string, from: string | null, prior: Fed, n: number, lastT: number) =>
        (
          await states.saveScored('src', [
            { seriesKey: key, snapshot: { state: { ckpt: n }, lastT }, checkpoint: { id, from, prior } },
          ])
        ).get(key)!;
      const v0 = await checkpoint('c1', null, [], 1, 60);
      // The caller wrote c1 itself and fed nothing since; another process then fed two inputs.
      const theirs = [
        [120, 0.1 + 0.2, null],
        [180, -0, 7],
      ] as const;
      const v1 = await keep(180, theirs);
      // As JSON stores them: -0 is written 0.
      const stored = [theirs[0], [180, 0, 7]];
      expect(await states.loadDetectorIfChanged(key, v0, 'c1')).toEqual({
        continues: true,
        version: v1,
        lastT: 180,
        ckpt: 'c1',
        fed: stored,
      });
      expect(await states.loadDetectorIfChanged(key, v1, 'c1')).toBe('unchanged');
      // Without a checkpoint id, or with another one: the whole state, which names its checkpoint.
      expect(await states.loadDetectorIfChanged(key, v0)).toEqual({
        state: { ckpt: 1 },
        lastT: 180,
        version: v1,
        ckpt: 'c1',
        fed: stored,
      });
      expect(await states.loadDetectorIfChanged(key, v0, 'c0')).toMatchObject({ state: { ckpt: 1 } });
      // Checkpointed once more (c2 grew from c1), then one input kept: the inputs from c1 to c2 come too.
      await checkpoint('c2', 'c1', [...theirs, [240, 1e-300, null]], 2, 240);
      const v3 = await keep(300, [[300, 5, null]]);
      expect(await states.loadDetectorIfChanged(key, v1, 'c1')).toEqual({
        continues: true,
        version: v3,
        lastT: 300,
        ckpt: 'c2',
        prior: [...stored, [240, 1e-300, null]],
        fed: [[300, 5, null]],
      });
      expect(await states.loadDetectorIfChanged(key, v1, 'c2')).toEqual({
        continues: true,
        version: v3,
        lastT: 300,
        ckpt: 'c2',
        fed: [[300, 5, null]],
      });
      // Two checkpoints on, c1 is off the line.
      const v4 = await checkpoint('c3', 'c2', [[300, 5, null]], 3, 360);
      expect(await states.loadDetectorIfChanged(key, v3, 'c1')).toMatchObject({ state: { ckpt: 3 }, ckpt: 'c3' });
      expect(await states.loadDetectorIfChanged(key, v3, 'c2')).toEqual({
        continues: true,
        version: v4,
        lastT: 360,
        ckpt: 'c3',
        prior: [[300, 5, null]],
        fed: [],
      });
      // A checkpoint saved without an id matches no one, and names none.
      await states.saveDetectorStates([{ seriesKey: key, snapshot: { state: { ckpt: 4 }, lastT: 420 } }]);
      const whole = await states.loadDetectorIfChanged(key, v4, 'c3');
      expect(whole).toMatchObject({ state: { ckpt: 4 }, lastT: 420 });
      expect(whole).not.toHaveProperty('ckpt');
      // In a batch, each key with its own checkpoint.
      const other = `k-${uid()}`;
      await states.saveScored('src', [
        {
          seriesKey: other,
          snapshot: { state: { ckpt: 9 }, lastT: 420 },
          checkpoint: { id: 'o1', from: null, prior: [] },
        },
      ]);
      const v5 = (
        await states.saveScored('src', [
          { seriesKey: other, snapshot: { state: null, lastT: 480, fed: [[480, 1, null]] }, keepState: true },
        ])
      ).get(other)!;
      const answers = await states.loadDetectorsIfChanged([
        { seriesKey: key, known: v4, knownCkpt: 'o1' },
        { seriesKey: other, known: null, knownCkpt: 'o1' },
      ]);
      expect(answers.get(key)!()).toMatchObject({ state: { ckpt: 4 } });
      expect(answers.get(other)!()).toEqual({
        continues: true,
        version: v5,
        lastT: 480,
        ckpt: 'o1',
        fed: [[480, 1, null]],
      });
    });

    test('a process of an earlier version (no checkpoint ids) appending inputs keeps the line; rewriting the checkpoint ends it', async () => {
      const states = detectorStates(db);
      const key = `k-${uid()}`;
      const v0 = (
        await states.saveScored('src', [
          {
            seriesKey: key,
            snapshot: { state: { ckpt: 1 }, lastT: 60 },
            checkpoint: { id: 'c1', from: null, prior: [] },
          },
        ])
      ).get(key)!;
      // The statement an earlier version saves with: it knows neither the ids nor the inputs between.
      const earlier = (state: string | null, lastT: number, fed: string | null) =>
        db.query(
          `INSERT INTO detector_state (series_key, state, last_t, fed) VALUES ($1, $2::json, $3, $4)
           ON CONFLICT (series_key) DO UPDATE SET state = COALESCE(EXCLUDED.state, detector_state.state),
             last_t = EXCLUDED.last_t, fed = EXCLUDED.fed, saved_at = now()`,
          [key, state, lastT, fed],
        );
      await earlier(null, 120, '[[120,1,null]]');
      expect(await states.loadDetectorIfChanged(key, v0, 'c1')).toMatchObject({
        continues: true,
        ckpt: 'c1',
        fed: [[120, 1, null]],
      });
      await earlier('{"ckpt": 2}', 180, null);
      const answer = await states.loadDetectorIfChanged(key, v0, 'c1');
      expect(answer).toMatchObject({ state: { ckpt: 2 }, lastT: 180 });
      expect(answer).not.toHaveProperty('ckpt');
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

test('in memory the tables pull jobs write are unlogged; on disk every table keeps its write-ahead log', async () => {
  const persistence = async (dataDir: string) => {
    const db = await openClient({ dataDir });
    try {
      return await db.query<{ relname: string; relpersistence: string }>(
        `SELECT relname, relpersistence FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY relname`,
      );
    } finally {
      await db.close();
    }
  };
  const memory = await persistence('memory://');
  const unlogged = memory.filter((r) => r.relpersistence === 'u').map((r) => r.relname);
  expect(unlogged.sort()).toEqual([...UNLOGGED_IN_MEMORY].sort());
  expect(memory.length).toBeGreaterThan(unlogged.length);
  const dir = await mkdtemp(join(tmpdir(), 'vigil-unlogged-'));
  try {
    const disk = await persistence(join(dir, 'db'));
    expect(disk.length).toBe(memory.length);
    expect(disk.filter((r) => r.relpersistence !== 'p')).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describeOnFreshPostgres('on PostgreSQL', (url) => {
  cacheSuite('PostgreSQL', () => createPgClient(url()));
});
