/** The push API over real HTTP on an embedded store, then through the pipeline. */
import type { FastifyInstance } from 'fastify';
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

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  const base = { log: silentLogger(), metrics: createMetrics(false), checks: [], bodyLimit: 64 * 1024 };
  app = await createHttpServer({ ...base, plugins: [pushRoutes({ store, token: TOKEN, maxPoints: 500 })] });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  disabled = await createHttpServer({ ...base, plugins: [pushRoutes({ store, token: null })] });
});
afterAll(async () => { await app.close(); await disabled.close(); await store.close(); });

const post = (body: unknown, token: string | null = TOKEN, raw?: string) => fetch(`${url}/api/v1/metrics`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: raw ?? JSON.stringify(body),
});

const points = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ t: T0 + (from + i) * 60_000, v: 10 + (i % 3) }));

describe('POST /api/v1/metrics', () => {
  it('stores a valid push and the push source serves it', async () => {
    const res = await post({ series: [{ metric: 'queue_depth', service: 'orders', labels: { region: 'eu' }, points: points(5) }] });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 5, series: 1 });
    const served = await createPushSource(store).fetch(PUSH_QUERY, { from: T0, to: T0 + 3 * 60_000 });
    const s = served.find((x) => x.ref.metric === 'queue_depth')!;
    expect(s.ref.service).toBe('orders');
    expect(s.ref.labels).toEqual({ region: 'eu', service: 'orders' });
    expect(s.points.map((p) => p.t)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
  });

  it('accepts ISO-8601 timestamps and sorts points', async () => {
    const res = await post({ series: [{ metric: 'iso', service: 'a', points: [{ t: '2026-01-05T00:02:00Z', v: 2 }, { t: '2026-01-05T00:01:00+00:00', v: 1 }] }] });
    expect(res.status).toBe(202);
    const s = (await store.listPushedPoints({ from: T0, to: T0 + 3 * 60_000 })).find((x) => x.ref.metric === 'iso')!;
    expect(s.points).toEqual([{ t: T0 + 60_000, v: 1 }, { t: T0 + 120_000, v: 2 }]);
  });

  it('answers 401 for a missing or wrong token and stores nothing', async () => {
    const body = { series: [{ metric: 'nope', service: 'a', points: points(1) }] };
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, 'wrong-token-0123456789')).status).toBe(401);
    expect((await store.listPushedPoints({ from: 0, to: T0 * 2 })).some((s) => s.ref.metric === 'nope')).toBe(false);
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
    const json = await res.json() as { error: string; message: string };
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
    expect((await many.json() as { message: string }).message).toContain('at most 500');
    const big = await post({ series: [{ metric: 'big', service: 'a', labels: { pad: 'x'.repeat(400) }, points: points(1) }], pad: 'y'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    const stored = await store.listPushedPoints({ from: 0, to: T0 * 2 });
    expect(stored.some((s) => s.ref.metric === 'many' || s.ref.metric === 'big')).toBe(false);
  });

  it('answers 403 when push is not enabled', async () => {
    const off = await disabled.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${off}/api/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'E_PUSH_DISABLED' });
  });
});
