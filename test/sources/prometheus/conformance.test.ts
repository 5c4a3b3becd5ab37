/**
 * The MetricSource conformance suite on the Prometheus source: against a
 * loopback stand-in that answers query_range as Prometheus does (a sample at
 * every step in [start, end], values as strings, 'NaN' and '+Inf' among
 * them), and against a real Prometheus + node_exporter when present (skipped
 * the same way as real.test.ts when the binaries are missing outside CI).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrometheusSource } from '../../../src/sources/prometheus/index.js';
import { sourceConformance } from '../conformance.js';
import { describeWithPrometheus, startPrometheus } from './real-prometheus.js';
import type { RealPrometheus } from './real-prometheus.js';

const S = 1_700_000_010; // seconds
const raw = (t: number): string => (t % 7 === 0 ? 'NaN' : t % 11 === 0 ? '+Inf' : String((t % 97) / 4));

/** Answers every query_range with two series sampled at each step in [start, end]; 503 when `down`. */
async function standIn(down = false): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (down) {
      res.writeHead(503).end('unavailable');
      return;
    }
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(q.get(k)));
    const values: Array<[number, string]> = [];
    for (let t = start!; t <= end!; t += step!) values.push([t, raw(t)]);
    const result = ['a', 'b'].map((instance) => ({ metric: { __name__: 'up', job: 'api', instance }, values }));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

sourceConformance(
  'prometheus (loopback stand-in)',
  async () => {
    const server = await standIn();
    servers.push(server);
    const source = createPrometheusSource({ url: server.url, queries: [{ id: 'up', promql: 'up', stepSeconds: 15 }] });
    return { source, range: { from: S * 1000 - 4_321, to: (S + 1800) * 1000 + 777 } };
  },
  {
    failures: async () => {
      const server = await standIn(true);
      servers.push(server);
      const source = createPrometheusSource({
        url: server.url,
        queries: [{ id: 'up', promql: 'up', stepSeconds: 15 }],
      });
      const [q] = await source.queries();
      return [
        {
          name: 'a 503 (E_PROMETHEUS_UNAVAILABLE)',
          retryable: true,
          run: () => source.fetch(q!, { from: S * 1000, to: (S + 60) * 1000 }),
        },
      ];
    },
  },
);

describeWithPrometheus('against a real Prometheus + node_exporter', () => {
  let prom: RealPrometheus | undefined;
  afterAll(async () => {
    await prom?.close();
  });
  sourceConformance(
    'prometheus (real)',
    async () => {
      prom = await startPrometheus(8);
      const source = createPrometheusSource({
        url: prom.url,
        timeoutMs: 2000,
        queries: [{ promql: 'node_load1', stepSeconds: 1 }],
      });
      // Scraped samples only, ending before now, off the 1 s grid.
      const to = Date.now() - 1_500;
      return { source, range: { from: to - 7_250, to } };
    },
    { volatile: true },
  );
});
