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
import type { MetricSource } from '../../../src/sources/types.js';
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

  /** The source with each page's services recorded, in page order. */
  function recorded(source: MetricSource): { source: MetricSource; pages: string[][] } {
    const pages: string[][] = [];
    return {
      pages,
      source: {
        ...source,
        fetchPage: async (q, range) => {
          const page = await source.fetchPage!(q, range);
          pages.push([...new Set(page.series.map((x) => x.ref.service))].sort());
          return page;
        },
      },
    };
  }

  it('scores a backlog larger than a batch in one job, whole services a batch at a time, the longest waiting first', async () => {
    // Five services of two series; b-5's points are the oldest, then b-1, b-2, ...
    const order = ['b-5', 'b-1', 'b-2', 'b-3', 'b-4'];
    const all = order.flatMap((svc, i) => [
      series('bt_latency', T0 + i * SEC, 5, svc),
      series('bt_errors', T0 + i * SEC, 5, svc),
    ]);
    await app.store.insertPushedPoints(all);
    const { source, pages } = recorded(createPushSource(app.store, { batchSeries: 4 }));
    const deps = { ...app.deps, resolveSource: () => source };
    const done = await pull({ query: PUSH_QUERY, range: { from: T0, to: T0 + 60 * SEC } }, deps);
    expect(done.points).toBe(50);
    expect(pages).toEqual([['b-1', 'b-5'], ['b-2', 'b-3'], ['b-4']]);
    for (const [i, x] of all.entries()) expect(await scored(x)).toBe(T0 + Math.floor(i / 2) * SEC + 4 * SEC);
  });

  it('serves the backlog it found, not what arrives while it runs', async () => {
    const first = ['n-1', 'n-2', 'n-3'].map((svc) => series('nb_latency', T0, 3, svc));
    await app.store.insertPushedPoints(first);
    const { source, pages } = recorded(createPushSource(app.store, { batchSeries: 1 }));
    // Each page is followed by a push of a new service, later than everything waiting.
    let pushed = 0;
    const arriving: MetricSource = {
      ...source,
      fetchPage: async (q, range) => {
        const page = await source.fetchPage!(q, range);
        await app.store.insertPushedPoints([series('nb_latency', T0 + 60 * SEC, 3, `late-${++pushed}`)]);
        return page;
      },
    };
    const deps = { ...app.deps, resolveSource: () => arriving };
    expect((await pull({ query: PUSH_QUERY, range: { from: T0, to: T0 + 60 * SEC } }, deps)).points).toBe(9);
    expect(pages).toEqual([['n-1'], ['n-2'], ['n-3']]);
    // The next job serves what arrived.
    expect(
      (
        await pull(
          { query: PUSH_QUERY, range: { from: T0, to: T0 + 60 * SEC } },
          { ...app.deps, resolveSource: () => createPushSource(app.store) },
        )
      ).points,
    ).toBe(9);
  });

  it('ends its batches at a series that failed, which the next job retries first', async () => {
    const waiting = ['f-1', 'f-2', 'f-3'].map((svc, i) => series('fb_latency', T0 + i * SEC, 4, svc));
    await app.store.insertPushedPoints(waiting);
    const store = failingOnce(
      failingOnce(app.store, 'loadDetectorsIfChanged'),
      'loadDetectorIfChanged',
      (key) => key === waiting[0]!.ref.key,
    );
    const { source, pages } = recorded(createPushSource(app.store, { batchSeries: 1 }));
    const deps = { ...app.deps, store, resolveSource: () => source };
    const range = { from: T0, to: T0 + 60 * SEC };
    expect((await pull({ query: PUSH_QUERY, range }, deps)).points).toBe(0);
    expect(pages).toEqual([['f-1']]);
    expect((await pull({ query: PUSH_QUERY, range }, deps)).points).toBe(12);
    expect(pages).toEqual([['f-1'], ['f-1'], ['f-2'], ['f-3']]);
    for (const x of waiting) expect(await scored(x)).toBe(x.points.at(-1)!.t);
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
