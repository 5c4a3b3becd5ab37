/**
 * Cursor moves (src/store/sql/cursor-moves.ts) on PGlite and on PostgreSQL:
 * the statement that moves a series' cursor takes the pushed points at or
 * before it out of the queue, whichever writer moves it, all or nothing;
 * migration 012 drains what an earlier version left for its sweep.
 */
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { createPgliteClient } from '../../src/store/pglite/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { cursors } from '../../src/store/sql/series.js';
import { detectorStates } from '../../src/store/sql/detector-states.js';
import { pushedPointStore } from '../../src/store/sql/pushed.js';
import { uid } from './fixtures.js';
import { describeOnFreshPostgres } from './pg-fixture.js';

function suite(name: string, open: () => Promise<SqlClient>): void {
  describe(`cursor moves drain the pushed queue: ${name}`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
    });
    afterAll(async () => {
      await db?.close();
    });

    const ref = () => ({ key: `push:m-${uid()}`, source: 'push', metric: 'm', service: `s-${uid()}`, labels: {} });
    /** The times still queued for `key`, read from the table itself (a listing would hide nothing it deletes). */
    const queued = async (key: string) =>
      (await db.query<{ t: number }>('SELECT t FROM pushed_points WHERE series_key = $1 ORDER BY t', [key])).map((r) =>
        Number(r.t),
      );
    const push = async (r: ReturnType<typeof ref>, times: number[]) =>
      pushedPointStore(db).insertPushedPoints([{ ref: r, points: times.map((t) => ({ t, v: t / 1000 })) }]);

    test('saving a scored batch deletes each series’ pushed points up to its new cursor, and no later ones', async () => {
      const a = ref();
      const b = ref();
      await push(a, [1000, 2000, 3000]);
      await push(b, [1000, 2000]);
      await detectorStates(db).saveScored(
        'push',
        [{ seriesKey: a.key, snapshot: { state: { n: 2 }, lastT: 2000 }, keepState: false }],
        [{ seriesKey: 'query:push:all', t: 5000 }],
      );
      expect(await queued(a.key)).toEqual([3000]);
      expect(await queued(b.key)).toEqual([1000, 2000]);
      expect(await cursors(db).getCursor('push', a.key)).toBe(2000);
    });

    test('setCursor and setCursors drain too', async () => {
      const a = ref();
      const b = ref();
      await push(a, [1000, 2000, 3000]);
      await push(b, [1000, 2000, 3000]);
      await cursors(db).setCursor('push', a.key, 1000);
      await cursors(db).setCursors('push', [
        { seriesKey: b.key, t: 2000 },
        { seriesKey: b.key, t: 1000 },
      ]);
      expect(await queued(a.key)).toEqual([2000, 3000]);
      expect(await queued(b.key)).toEqual([3000]);
    });

    test('a save that fails leaves the cursor and every pushed point where they were', async () => {
      const a = ref();
      await push(a, [1000, 2000]);
      await cursors(db).setCursor('push', a.key, 500);
      const failing = detectorStates(db).saveScored('push', [
        { seriesKey: a.key, snapshot: { state: { n: 1 }, lastT: 2000 }, keepState: false },
        // Not a time: the statement fails as a whole.
        { seriesKey: `push:other-${uid()}`, snapshot: { state: null, lastT: Number.NaN }, keepState: false },
      ]);
      await expect(failing).rejects.toThrow();
      expect(await queued(a.key)).toEqual([1000, 2000]);
      expect(await cursors(db).getCursor('push', a.key)).toBe(500);
    });

    test('migration 012 drains the points an earlier version left at or before their cursors', async () => {
      const a = ref();
      await push(a, [1000, 2000, 3000]);
      // As the earlier version left them: the cursor moved, the points stayed for the next listing's sweep.
      await db.query(`UPDATE source_cursors SET t = 2000 WHERE series_key = $1`, [a.key]);
      await db.query(
        `INSERT INTO source_cursors (source_id, series_key, t) SELECT 'push', $1, 2000 WHERE NOT EXISTS
        (SELECT 1 FROM source_cursors WHERE series_key = $1)`,
        [a.key],
      );
      expect(await queued(a.key)).toEqual([1000, 2000, 3000]);
      const drain = (await loadMigrations()).find((m) => m.version === 12);
      expect(drain).toBeDefined();
      await db.exec(drain!.sql);
      expect(await queued(a.key)).toEqual([3000]);
    });
  });
}

suite('PGlite in memory', () => createPgliteClient('memory://'));

describeOnFreshPostgres('on PostgreSQL', (url) => {
  suite('PostgreSQL', () => createPgClient(url()));
});
