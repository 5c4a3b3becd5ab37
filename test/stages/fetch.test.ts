/**
 * The pull stage (src/stages/fetch.ts) on an embedded store: the raw points
 * of every fetched series are stored; series rows are written for a
 * source that does not read them from the store, and for a registered
 * page (the push source's) only where the service rules change a ref.
 */
import { createPushSource } from '../../src/sources/push/index.js';
import { fetchSeries } from '../../src/stages/fetch.js';
import { openClient } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import type { Store } from '../../src/store/types.js';
import type { SeriesRef } from '../../src/domain/index.js';
import type { MetricSource } from '../../src/sources/types.js';
import { compileServiceRules } from '../../src/sources/mapping.js';

let db: SqlClient;
let store: Store;
beforeAll(async () => {
  db = await openClient({ dataDir: 'memory://' });
  await migrate(db);
  store = createSqlStore(db);
});
afterAll(async () => {
  await db?.close();
});

const ref = (metric: string, service: string): SeriesRef => ({
  key: `push:${metric}{service="${service}"}`,
  source: 'push',
  metric,
  service,
  labels: { service },
});

/** The series row's service, and whether any transaction wrote or locked it since it was inserted (xmax). */
const row = async (key: string) =>
  (
    await db.query<{ service: string; touched: boolean }>(
      `SELECT service, xmax::text <> '0' AS touched FROM series WHERE key = $1`,
      [key],
    )
  )[0];

const deps = (source: MetricSource, rules: Parameters<typeof compileServiceRules>[0] = []) =>
  ({ resolveSource: () => source, mapService: compileServiceRules(rules), store }) as never;

const job = { query: { sourceId: 'push', id: 'push:all', params: {} }, range: { from: 0, to: 1 } };

test('a registered page stores its points and leaves the series rows it was read from untouched', async () => {
  const a = ref('latency', 'api');
  await store.insertPushedPoints([{ ref: a, points: [{ t: 60_000, v: 1 }] }]);
  expect(await row(a.key)).toEqual({ service: 'api', touched: false });
  const fetched = await fetchSeries(job as never, deps(createPushSource(store)));
  expect(fetched.series.map((s) => s.ref.key)).toContain(a.key);
  expect(await store.listPoints(a.key, { from: 0, to: 120_000 })).toEqual([{ t: 60_000, v: 1 }]);
  expect(await row(a.key)).toEqual({ service: 'api', touched: false });
});

test('a registered page still writes a series the service rules moved to another service, and a later push keeps it', async () => {
  const b = ref('errors', 'web-7');
  await store.insertPushedPoints([{ ref: b, points: [{ t: 60_000, v: 2 }] }]);
  const rules = [{ match: { metric: 'errors', service: 'web-\\d+' }, service: 'web' }];
  const fetched = await fetchSeries(job as never, deps(createPushSource(store), rules));
  expect(fetched.series.find((s) => s.ref.key === b.key)?.ref.service).toBe('web');
  expect((await row(b.key))?.service).toBe('web');
  // The next push of the series leaves its row alone: the mapped service stays.
  await store.insertPushedPoints([{ ref: b, points: [{ t: 120_000, v: 2 }] }]);
  expect((await row(b.key))?.service).toBe('web');
});

test('a page that is not marked registered has its series rows written', async () => {
  const c = ref('cpu', 'db');
  const source: MetricSource = {
    id: 'push',
    stepMs: 60_000,
    queries: async () => [],
    fetch: async () => [{ ref: c, points: [{ t: 60_000, v: 3 }] }],
  };
  await fetchSeries(job as never, deps(source));
  expect((await row(c.key))?.service).toBe('db');
  expect(await store.listPoints(c.key, { from: 0, to: 120_000 })).toEqual([{ t: 60_000, v: 3 }]);
});
