// Answers a real Prometheus cannot be made to give on demand: error bodies,
// malformed JSON, auth checks. A node:http server on 127.0.0.1:0 stands in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VigilError } from '../../../src/domain/index.js';
import { createPrometheusSource, parsePrometheusOptions } from '../../../src/sources/prometheus/index.js';
import type { PrometheusOptions } from '../../../src/sources/prometheus/index.js';
import { freePort } from './ports.js';

interface Seen {
  url: URL;
  authorization: string | undefined;
}
type Reply = { status: number; body: string };

let reply: Reply = { status: 200, body: '' };
const seen: Seen[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: new URL(req.url ?? '/', 'http://x'), authorization: req.headers.authorization });
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

const matrix = (result: unknown[]): Reply => ({
  status: 200,
  body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }),
});
const S = 1_700_000_010; // seconds, a multiple of the 15 s step
const range = { from: S * 1000 - 5000, to: (S + 60) * 1000 }; // from deliberately unaligned

async function fetchWith(opts: Partial<PrometheusOptions> = {}): Promise<unknown> {
  const source = createPrometheusSource({ url: base, queries: [{ id: 'q1', promql: 'up', stepSeconds: 15 }], ...opts });
  const [q] = await source.queries();
  return source.fetch(q!, range).catch((e: unknown) => e);
}

function vigil(e: unknown): VigilError {
  expect(e).toBeInstanceOf(VigilError);
  return e as VigilError;
}

test('asks query_range with step-aligned start/end and keeps only [from, to)', async () => {
  const s = S;
  reply = matrix([
    {
      metric: { __name__: 'up', job: 'api', instance: 'a:1' },
      values: [
        [s - 15, '9'],
        [s, '1'],
        [s + 15, 'NaN'],
        [s + 30, '+Inf'],
        [s + 45, '2.5'],
        [s + 60, '7'],
      ],
    },
  ]);
  const series = (await fetchWith()) as {
    ref: { metric: string; service: string; labels: object };
    points: { t: number; v: number }[];
  }[];
  const url = seen[0]!.url;
  expect(url.pathname).toBe('/api/v1/query_range');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    query: 'up',
    start: String(s),
    end: String(s + 45),
    step: '15',
    timeout: '10s',
  });
  expect(series).toHaveLength(1);
  expect(series[0]!.ref).toEqual(
    expect.objectContaining({ metric: 'up', service: 'api', labels: { job: 'api', instance: 'a:1' } }),
  );
  expect(series[0]!.points.map((p) => p.t)).toEqual([0, 15, 30, 45].map((d) => (s + d) * 1000));
  expect(series[0]!.points.map((p) => p.v)).toEqual([1, NaN, NaN, 2.5]);
});

test('bad_data: E_PROMETHEUS_QUERY, not retryable, naming the query and the error', async () => {
  reply = {
    status: 400,
    body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3: unexpected <EOF>' }),
  };
  const e = vigil(await fetchWith());
  expect(e.code).toBe('E_PROMETHEUS_QUERY');
  expect(e.retryable).toBe(false);
  expect(e.message).toContain('q1');
  expect(e.message).toContain('bad_data: parse error at char 3');
});

test('timeout / unavailable errors from Prometheus are retryable', async () => {
  for (const errorType of ['timeout', 'unavailable']) {
    reply = {
      status: 503,
      body: JSON.stringify({ status: 'error', errorType, error: 'query timed out in expression evaluation' }),
    };
    const e = vigil(await fetchWith());
    expect([e.code, e.retryable]).toEqual(['E_PROMETHEUS_QUERY', true]);
  }
});

test('malformed JSON and unexpected shapes: clear E_PROMETHEUS_RESPONSE', async () => {
  reply = { status: 200, body: '{"status":"success","data":' };
  let e = vigil(await fetchWith());
  expect([e.code, e.retryable]).toEqual(['E_PROMETHEUS_RESPONSE', false]);
  expect(e.message).toMatch(/not JSON/);
  reply = { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }) };
  e = vigil(await fetchWith());
  expect(e.code).toBe('E_PROMETHEUS_RESPONSE');
  expect(e.message).toContain('data.resultType');
});

test('a 502 from a proxy is E_PROMETHEUS_UNAVAILABLE, retryable', async () => {
  reply = { status: 502, body: '<html>Bad Gateway</html>' };
  const e = vigil(await fetchWith());
  expect([e.code, e.retryable]).toEqual(['E_PROMETHEUS_UNAVAILABLE', true]);
});

test('connection refused: E_PROMETHEUS_UNAVAILABLE naming the URL without credentials', async () => {
  const port = await freePort();
  const e = vigil(await fetchWith({ url: `http://bob:hunter2@127.0.0.1:${port}/prom`, timeoutMs: 2000 }));
  expect([e.code, e.retryable]).toEqual(['E_PROMETHEUS_UNAVAILABLE', true]);
  expect(e.message).toContain(`http://127.0.0.1:${port}/prom`);
  expect(e.message).not.toContain('hunter2');
  expect(e.message).toContain('ECONNREFUSED');
});

test('a slow answer times out as E_PROMETHEUS_UNAVAILABLE; the caller abort rejects with its reason', async () => {
  const slow = http.createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  try {
    const e = vigil(await fetchWith({ url, timeoutMs: 200 }));
    expect([e.code, e.retryable]).toEqual(['E_PROMETHEUS_UNAVAILABLE', true]);
    expect(e.message).toContain('within 200 ms');
    const source = createPrometheusSource({ url, queries: [{ promql: 'up' }] });
    const [q] = await source.queries();
    const ac = new AbortController();
    const pending = source.fetch(q!, range, ac.signal);
    ac.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  } finally {
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  }
});

test('bearer and basic auth headers are sent; secrets never appear in errors', async () => {
  reply = matrix([]);
  await fetchWith({ auth: { bearerToken: 's3cret-token' } });
  expect(seen[0]!.authorization).toBe('Bearer s3cret-token');
  await fetchWith({ auth: { username: 'vigil', password: 'p@ss:word' } });
  expect(seen[1]!.authorization).toBe(`Basic ${Buffer.from('vigil:p@ss:word').toString('base64')}`);
  await fetchWith({ url: `http://ann:pw%40x@${base.slice('http://'.length)}` });
  expect(seen[2]!.authorization).toBe(`Basic ${Buffer.from('ann:pw@x').toString('base64')}`);
  reply = { status: 401, body: 'Unauthorized' };
  const e = vigil(await fetchWith({ auth: { bearerToken: 's3cret-token' } }));
  expect(e.message).toContain('check the auth options');
  expect(e.message).not.toContain('s3cret');
});

test('a range longer than 10,000 steps is fetched in chunks and merged per series', async () => {
  reply = matrix([{ metric: { __name__: 'up', job: 'api' }, values: [[S, '1']] }]);
  const source = createPrometheusSource({ url: base, queries: [{ id: 'q1', promql: 'up', stepSeconds: 1 }] });
  const [q] = await source.queries();
  const series = await source.fetch(q!, { from: S * 1000, to: (S + 15_000) * 1000 });
  expect(seen.map((x) => [x.url.searchParams.get('start'), x.url.searchParams.get('end')])).toEqual([
    [String(S), String(S + 9_999)],
    [String(S + 10_000), String(S + 14_999)],
  ]);
  // The stand-in answers the same point to both chunks: each chunk keeps only its own span.
  expect(series).toHaveLength(1);
  expect(series[0]!.points).toEqual([{ t: S * 1000, v: 1 }]);
});

test('options are checked with precise paths', () => {
  expect(() => parsePrometheusOptions({ url: 'ftp://x', queries: [] })).toThrow(
    /E_PROMETHEUS_OPTIONS|url: must be an http\(s\) URL/,
  );
  try {
    parsePrometheusOptions({
      url: 'http://x',
      queries: [
        { id: 'a', promql: 'up' },
        { id: 'a', promql: 'up', stepSeconds: 0 },
      ],
    });
    throw new Error('expected a throw');
  } catch (err) {
    const e = vigil(err);
    expect(e.code).toBe('E_PROMETHEUS_OPTIONS');
    expect(e.message).toContain('queries.1.stepSeconds');
    expect(e.message).toContain('queries.1.id: duplicate id "a"');
  }
  const parsed = parsePrometheusOptions({ url: 'http://x', queries: [{ promql: 'up' }] });
  expect(parsed.timeoutMs).toBe(10_000);
  expect(parsed.queries[0]!.stepSeconds).toBe(60);
});
