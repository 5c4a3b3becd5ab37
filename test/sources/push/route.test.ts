/** The push API over real HTTP on an embedded store, then through the pipeline. */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../../src/domain/errors.js';
import { createHttpServer } from '../../../src/http/index.js';
import { createMetrics, silentLogger } from '../../../src/observability/index.js';
import { createPushSource, PUSH_QUERY, pushRoutes } from '../../../src/sources/push/index.js';
import { openStore, type Store } from '../../../src/store/index.js';

const TOKEN = 'push-token-0123456789';
const T0 = Date.UTC(2026, 0, 5);

let store: Store;
let app: FastifyInstance;
let disabled: FastifyInstance;
let url: string;
const metrics = createMetrics(false);

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  const base = { log: silentLogger(), metrics, checks: [], bodyLimit: 64 * 1024 };
  app = await createHttpServer({ ...base, plugins: [pushRoutes({ store, token: TOKEN, maxPoints: 500 })] });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  disabled = await createHttpServer({ ...base, plugins: [pushRoutes({ store, token: null })] });
});
afterAll(async () => {
  await app.close();
  await disabled.close();
  await store.close();
});

const post = (body: unknown, token: string | null = TOKEN, raw?: string) =>
  fetch(`${url}/api/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });

const pending = async () => (await store.listPendingPushedPoints({ maxPoints: 1_000_000 })).series;

const points = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ t: T0 + (from + i) * 60_000, v: 10 + (i % 3) }));

describe('POST /api/v1/metrics', () => {
  it('stores a valid push and the push source serves all of it, whatever the pull range', async () => {
    const res = await post({
      series: [{ metric: 'queue_depth', service: 'orders', labels: { region: 'eu' }, points: points(5) }],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 5, duplicates: 0, series: 1 });
    const served = await createPushSource(store).fetch(PUSH_QUERY, { from: T0 + 10 * 60_000, to: T0 + 11 * 60_000 });
    const s = served.find((x) => x.ref.metric === 'queue_depth')!;
    expect(s.ref.service).toBe('orders');
    expect(s.ref.labels).toEqual({ region: 'eu', service: 'orders' });
    expect(s.points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * 60_000));
  });

  it('answers a re-sent request 202 with its points counted as duplicates, and a late point 409 storing nothing', async () => {
    const body = { series: [{ metric: 'resent', service: 'a', points: points(3) }] };
    expect(await (await post(body)).json()).toEqual({ accepted: 3, duplicates: 0, series: 1 });
    expect(await (await post(body)).json()).toEqual({ accepted: 0, duplicates: 3, series: 1 });
    const late = await post({
      series: [
        { metric: 'fresh', service: 'a', points: points(1) },
        { metric: 'resent', service: 'a', points: [{ t: T0 + 30_000, v: 1 }] },
      ],
    });
    expect(late.status).toBe(409);
    const json = (await late.json()) as { error: string; message: string };
    expect(json.error).toBe('E_PUSH_LATE');
    expect(json.message).toContain('resent{service="a"}');
    expect(json.message).toContain('2026-01-05T00:00:30.000Z');
    expect((await pending()).some((s) => s.ref.metric === 'fresh')).toBe(false);
  });

  it('accepts ISO-8601 timestamps and sorts points', async () => {
    const res = await post({
      series: [
        {
          metric: 'iso',
          service: 'a',
          points: [
            { t: '2026-01-05T00:02:00Z', v: 2 },
            { t: '2026-01-05T00:01:00+00:00', v: 1 },
          ],
        },
      ],
    });
    expect(res.status).toBe(202);
    const s = (await pending()).find((x) => x.ref.metric === 'iso')!;
    expect(s.points).toEqual([
      { t: T0 + 60_000, v: 1 },
      { t: T0 + 120_000, v: 2 },
    ]);
  });

  it('answers 401 for a missing or wrong token and stores nothing', async () => {
    const body = { series: [{ metric: 'nope', service: 'a', points: points(1) }] };
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, 'wrong-token-0123456789')).status).toBe(401);
    expect(await metrics.registry.getSingleMetricAsString('vigil_http_unauthorized_total')).toContain(
      'route="/api/v1/metrics"} 2',
    );
    expect((await pending()).some((s) => s.ref.metric === 'nope')).toBe(false);
  });

  it.each([
    [{ series: [{ metric: 'm', service: 'a', points: [{ t: T0, v: 'high' }] }] }, 'series[0].points[0].v'],
    [{ series: [{ metric: 'm', service: 'a', points: [{ t: T0 }] }] }, 'series[0].points[0].v'],
    [{ series: [{ metric: 'm', service: 'a', points: [{ t: 'yesterday', v: 1 }] }] }, 'series[0].points[0].t'],
    [{ series: [{ metric: 'm', service: 'a', points: [] }] }, 'series[0].points'],
    [{ series: [{ metric: 'm', service: 'a', points: points(1), extra: 1 }] }, 'unknown field extra'],
    [{ series: [{ metric: 'a b', service: 'a', points: points(1) }] }, 'series[0].metric'],
    [{}, 'series'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('E_PUSH_INVALID');
    expect(json.message).toContain(field);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await post(null, TOKEN, '{"series": [');
    expect(res.status).toBe(400);
  });

  it('answers 413 for too many points or a body over the limit, storing nothing', async () => {
    const many = await post({ series: [{ metric: 'many', service: 'a', points: points(501) }] });
    expect(many.status).toBe(413);
    expect(((await many.json()) as { message: string }).message).toContain('at most 500');
    const big = await post({
      series: [{ metric: 'big', service: 'a', labels: { pad: 'x'.repeat(400) }, points: points(1) }],
      pad: 'y'.repeat(70 * 1024),
    });
    expect(big.status).toBe(413);
    const stored = await pending();
    expect(stored.some((s) => s.ref.metric === 'many' || s.ref.metric === 'big')).toBe(false);
  });

  it('answers 403 when push is not enabled', async () => {
    const off = await disabled.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${off}/api/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'E_PUSH_DISABLED' });
  });
});

describe('POST /api/v1/metrics with the store down', () => {
  it('answers 503 with Retry-After, so the client retries instead of dropping its points', async () => {
    const down = {
      ...store,
      insertPushedPoints: async () => {
        throw new VigilError('E_STORE_UNAVAILABLE', 'store: connect ECONNREFUSED 127.0.0.1:5432', true);
      },
    } as Store;
    const app2 = await createHttpServer({
      log: silentLogger(),
      metrics: createMetrics(false),
      checks: [],
      plugins: [pushRoutes({ store: down, token: TOKEN })],
    });
    const base = await app2.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${base}/api/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ series: [{ metric: 'm', service: 'a', points: points(1) }] }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toEqual({
        error: 'E_STORE_UNAVAILABLE',
        message: 'temporarily unavailable: retry later',
      });
    } finally {
      await app2.close();
    }
  });
});
