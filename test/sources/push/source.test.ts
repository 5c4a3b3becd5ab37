/**
 * The push source through the real pipeline on an embedded store. Regression
 * for points answered 202 and never scored: the source used to read only
 * [last pull, now) with one cursor for every pushed series, so history, late
 * points and points of a series that failed once were dropped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { seriesKey, type Series } from '../../../src/domain/index.js';
import { buildApp, type App } from '../../../src/main.js';
import { silentLogger } from '../../../src/observability/index.js';
import { pull } from '../../../src/pipeline.js';
import { createPushSource, PUSH_QUERY, pushShardQuery } from '../../../src/sources/push/index.js';
import { failingOnce } from '../../support/failing-store.js';

const T0 = Date.UTC(2026, 0, 5);
const SEC = 1000;

let app: App;
beforeAll(async () => {
  app = await buildApp(loadConfig({}, mkdtempSync(join(tmpdir(), 'vigil-push-'))), {
    consume: [],
    ephemeralStore: true,
    log: silentLogger(),
    notifiers: [],
  });
});
afterAll(async () => {
  await app.close();
});

function series(metric: string, from: number, n: number, service = 'orders'): Series {
  const labels = { service };
  const ref = { key: seriesKey('push', metric, labels), source: 'push', metric, service, labels };
  return { ref, points: Array.from({ length: n }, (_, i) => ({ t: from + i * SEC, v: 10 + (i % 3) })) };
}

const scored = (s: Series) => app.store.getCursor('push', s.ref.key);

describe('push source in the pipeline', () => {
  it('scores every accepted point once, however old or late it is', async () => {
    const deps = { ...app.deps, resolveSource: () => createPushSource(app.store) };
    // Four minutes of history for a new series, pulled with a one-minute window.
    const history = series('history', T0, 240);
    expect(await app.store.insertPushedPoints([history])).toEqual({ accepted: 240, duplicates: 0 });
    let now = T0 + 240 * SEC;
    expect((await pull({ query: PUSH_QUERY, range: { from: now - 60 * SEC, to: now } }, deps)).points).toBe(240);
    // Points 30 s late: their times are before the last pull's end.
    const late = series('history', T0 + 240 * SEC, 10);
    expect(await app.store.insertPushedPoints([late])).toEqual({ accepted: 10, duplicates: 0 });
    const from = now;
    now += 60 * SEC;
    expect((await pull({ query: PUSH_QUERY, range: { from, to: now } }, deps)).points).toBe(10);
    expect(await scored(history)).toBe(T0 + 249 * SEC);
    // The same request again: nothing new, nothing scored twice.
    expect(await app.store.insertPushedPoints([late])).toEqual({ accepted: 0, duplicates: 10 });
    expect((await pull({ query: PUSH_QUERY, range: { from: now, to: now + 60 * SEC } }, deps)).points).toBe(0);
  });

  it('keeps the points of a series that failed to score queued until a later pull scores them', async () => {
    const flaky = series('flaky', T0, 30);
    await app.store.insertPushedPoints([flaky]);
    // The batch's read fails, and then the flaky series' own read.
    const store = failingOnce(
      failingOnce(app.store, 'loadDetectorsIfChanged'),
      'loadDetectorIfChanged',
      (key) => key === flaky.ref.key,
    );
    const deps = { ...app.deps, store, resolveSource: () => createPushSource(app.store) };
    const range = { from: T0, to: T0 + 60 * SEC };
    expect((await pull({ query: PUSH_QUERY, range }, deps)).points).toBe(0);
    expect(await scored(flaky)).toBeNull();
    expect((await pull({ query: PUSH_QUERY, range: { from: range.to, to: range.to + 60 * SEC } }, deps)).points).toBe(
      30,
    );
    expect(await scored(flaky)).toBe(T0 + 29 * SEC);
  });

  it('split into shards pulled at once, scores every point once, each service in one shard, linked services together', async () => {
    const services = ['s-a', 's-b', 's-c', 's-d', 's-e', 's-f'];
    const all = services.flatMap((svc) => [series('sh_latency', T0, 20, svc), series('sh_errors', T0, 20, svc)]);
    await app.store.insertPushedPoints(all);
    const links = { services: ['s-a', 's-f'], groupOf: () => 's-a+s-f' };
    const source = createPushSource(app.store, { shards: 3, links });
    const queries = await source.queries();
    expect(queries.map((q) => q.id)).toEqual(['push:1of3', 'push:2of3', 'push:3of3']);
    // What each shard serves, before scoring: disjoint, whole services, the linked pair together.
    const served = await Promise.all(
      queries.map(async (q) =>
        (await source.fetch(q, { from: 0, to: 0 })).filter((x) => x.ref.metric.startsWith('sh_')),
      ),
    );
    expect(
      served
        .flat()
        .map((x) => x.ref.key)
        .sort(),
    ).toEqual(all.map((x) => x.ref.key).sort());
    const shardOf = new Map(served.flatMap((list, i) => list.map((x) => [x.ref.service, i] as const)));
    for (const [i, list] of served.entries()) for (const x of list) expect(shardOf.get(x.ref.service)).toBe(i);
    expect(shardOf.get('s-a')).toBe(shardOf.get('s-f'));
    // Pulled concurrently through the pipeline: every point scored once.
    const deps = { ...app.deps, resolveSource: () => source };
    const pulled = await Promise.all(
      queries.map((query) => pull({ query, range: { from: T0, to: T0 + 60 * SEC } }, deps)),
    );
    const mine = (list: Series[]) =>
      list.filter((x) => x.ref.metric.startsWith('sh_')).reduce((n, x) => n + x.points.length, 0);
    expect(pulled.reduce((n, r) => n + r.points, 0)).toBeGreaterThanOrEqual(all.length * 20);
    for (const x of all) expect(await scored(x)).toBe(T0 + 19 * SEC);
    expect(mine(await source.fetch(PUSH_QUERY, { from: 0, to: 0 }))).toBe(0);
  });

  it('refuses a query whose shard is out of range, naming it', async () => {
    const source = createPushSource(app.store, { shards: 2 });
    await expect(
      source.fetch({ ...pushShardQuery(0, 2), params: { shard: 2, of: 2 } }, { from: 0, to: 0 }),
    ).rejects.toMatchObject({ code: 'E_SOURCE_QUERY' });
    await expect(
      source.fetch({ ...pushShardQuery(0, 2), params: { shard: 0, of: 65 } }, { from: 0, to: 0 }),
    ).rejects.toThrow(/shard must be an integer in \[0, of\) and of in \[1, 64\], got shard=0 of=65/);
  });
});
