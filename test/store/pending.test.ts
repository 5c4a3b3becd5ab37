/**
 * The two forms of the pending-points listing (src/store/sql/pending.ts)
 * answer the same rows, on PGlite and on PostgreSQL: over shards, pinned
 * services, pages cut by series and by points; and the store picks the
 * lookup form while few points are pending among many series.
 */
import { migrate } from '../../src/store/migrate.js';
import { createPgClient } from '../../src/store/pg/client.js';
import { createPgliteClient } from '../../src/store/pglite/client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { listPending, LOOKUP_SHARE, PENDING_SIZE, useLookup } from '../../src/store/sql/pending.js';
import { pushedPointStore } from '../../src/store/sql/pushed.js';
import { uid } from './fixtures.js';
import { describeOnFreshPostgres } from './pg-fixture.js';

function suite(name: string, open: () => Promise<SqlClient>): void {
  describe(`pending listing: ${name}`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
      const run = uid();
      // 60 series in 12 services, 1-4 points each from a staggered start, so services rank differently.
      const series = Array.from({ length: 60 }, (_, i) => ({
        ref: {
          key: `push:m${i}-${run}`,
          source: 'push',
          metric: `m${i}`,
          service: `svc${i % 12}-${run}`,
          labels: { i: String(i) },
        },
        points: Array.from({ length: 1 + (i % 4) }, (_, j) => ({ t: 1000 * ((i * 7) % 13) + 100 * j, v: i + j })),
      }));
      await pushedPointStore(db).insertPushedPoints(series);
    });
    afterAll(async () => {
      await db?.close();
    });

    const answer = (lookup: boolean, params: unknown[]) => db.query(listPending(lookup), params);

    test.each([
      ['one part, no bounds', [0, 1, '{}', 2_147_483_647, 1_000_000]],
      ['a page of 10 series', [0, 1, '{}', 10, 1_000_000]],
      ['a page of 7 points', [0, 1, '{}', 2_147_483_647, 7]],
      ['shard 1 of 3', [1, 3, '{}', 2_147_483_647, 1_000_000]],
      ['shard 2 of 3, 8 series a page', [2, 3, '{}', 8, 1_000_000]],
    ])('%s: the lookup and the scan answer the same rows', async (_name, params) => {
      const scan = await answer(false, params);
      expect(scan.length).toBeGreaterThan(0);
      expect(await answer(true, params)).toEqual(scan);
    });

    test('pinned services: the same rows either way, every pinned service in its shard', async () => {
      const services = (await db.query<{ service: string }>('SELECT DISTINCT service FROM series')).map(
        (r) => r.service,
      );
      const pinned = JSON.stringify(Object.fromEntries(services.map((s, i) => [s, i % 2])));
      for (const index of [0, 1]) {
        const params = [index, 2, pinned, 2_147_483_647, 1_000_000];
        const rows = await answer(true, params);
        expect(rows).toEqual(await answer(false, params));
        for (const r of rows as Array<{ service: string }>) expect(services.indexOf(r.service) % 2).toBe(index);
      }
    });

    test('the lookup is chosen only while the pending points are a small share of the series rows', async () => {
      expect(useLookup({ points: 100, series: 100 / LOOKUP_SHARE })).toBe(true);
      expect(useLookup({ points: 101, series: 100 / LOOKUP_SHARE })).toBe(false);
      expect(useLookup({ points: 0, series: -1 })).toBe(false);
      expect(useLookup({ points: -1, series: 100_000 })).toBe(false);
      // The estimates are the catalogue's, as the last VACUUM counted the rows.
      await db.exec('VACUUM pushed_points, series');
      const [size] = await db.query<{ points: number; series: number }>(PENDING_SIZE);
      const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pushed_points');
      expect(Number(size!.points)).toBe(count!.n);
    });
  });
}

suite('PGlite in memory', () => createPgliteClient('memory://'));

describeOnFreshPostgres('on PostgreSQL', (url) => {
  suite('PostgreSQL', () => createPgClient(url()));
});
