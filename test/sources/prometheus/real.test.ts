// Vigil pulling this machine's real CPU series from a real Prometheus, and
// riding out a Prometheus restart without losing its place.
import { VigilError } from '../../../src/domain/index.js';
import type { Series } from '../../../src/domain/index.js';
import { createPrometheusSource } from '../../../src/sources/prometheus/index.js';
import type { MetricSource, SourceQuery } from '../../../src/sources/types.js';
import { describeWithPrometheus, startPrometheus } from './real-prometheus.js';
import type { RealPrometheus } from './real-prometheus.js';

const CPU = 'rate(node_cpu_seconds_total{mode="user"}[5s])';

describeWithPrometheus('prometheus source against a real Prometheus + node_exporter', () => {
  let prom: RealPrometheus;
  let source: MetricSource;
  let queries: SourceQuery[];

  beforeAll(async () => {
    prom = await startPrometheus();
    source = createPrometheusSource({
      url: prom.url,
      timeoutMs: 2000,
      queries: [
        { id: 'cpu_user', promql: CPU, stepSeconds: 1 },
        { promql: 'node_load1', serviceLabel: 'instance', stepSeconds: 1 },
        { id: 'load_fixed', promql: 'node_load5', service: 'host-a', stepSeconds: 1 },
      ],
    });
    queries = await source.queries();
  }, 60_000);

  afterAll(async () => {
    await prom?.close();
  });

  const byId = (id: string): SourceQuery => {
    const q = queries.find((x) => x.id === id || x.params.promql === id);
    if (!q) throw new Error(`no query ${id}`);
    return q;
  };

  const pointsOf = (series: Series[]): number => series.reduce((n, s) => n + s.points.length, 0);

  test('one SourceQuery per PromQL, stable ids, step of 1 s', () => {
    expect(queries.map((q) => q.sourceId)).toEqual(['prometheus', 'prometheus', 'prometheus']);
    expect(queries[0]?.id).toBe('cpu_user');
    expect(queries[1]?.id).toMatch(/^q_[0-9a-f]{12}$/);
    expect(source.stepMs).toBe(1000);
    // Params travel through queues: JSON round trip keeps them whole, and no secrets ride along.
    expect(JSON.parse(JSON.stringify(queries))).toEqual(queries);
  });

  test('pulls real CPU series with labels and service mapped', async () => {
    const to = Date.now();
    const series = await source.fetch(byId('cpu_user'), { from: to - 20_000, to });
    expect(series.length).toBeGreaterThanOrEqual(1);
    for (const s of series) {
      // rate() drops __name__: the query id names the metric.
      expect(s.ref.metric).toBe('cpu_user');
      expect(s.ref.labels).toEqual(expect.objectContaining({ mode: 'user', job: 'node', cpu: expect.any(String) }));
      expect(s.ref.labels.__name__).toBeUndefined();
      expect(s.ref.service).toBe('node'); // no `service` label: falls back to `job`
      expect(s.ref.key).toMatch(
        /^prometheus:cpu_user\{cpu="[^"]+",instance="127\.0\.0\.1:\d+",job="node",mode="user"\}$/,
      );
      for (const p of s.points) {
        expect(p.t % 1000).toBe(0);
        expect(p.t).toBeGreaterThanOrEqual(to - 20_000);
        expect(p.t).toBeLessThan(to);
      }
    }
    expect(pointsOf(series)).toBeGreaterThan(0);
    expect(series.flatMap((s) => s.points).every((p) => Number.isNaN(p.v) || p.v >= 0)).toBe(true);

    const load = await source.fetch(byId('node_load1'), { from: to - 20_000, to });
    expect(load).toHaveLength(1);
    expect(load[0]?.ref.metric).toBe('node_load1');
    expect(load[0]?.ref.service).toMatch(/^127\.0\.0\.1:\d+$/);
    const fixed = await source.fetch(byId('load_fixed'), { from: to - 20_000, to });
    expect(fixed[0]?.ref.service).toBe('host-a');
    expect(fixed[0]?.points.length).toBeGreaterThan(0);
  });

  test('adjacent windows never overlap: [a, b) then [b, c)', async () => {
    const c = Math.floor(Date.now() / 1000) * 1000 + 500; // deliberately unaligned
    const b = c - 4_500;
    const a = b - 4_500;
    const first = await source.fetch(byId('node_load1'), { from: a, to: b });
    const second = await source.fetch(byId('node_load1'), { from: b, to: c });
    const whole = await source.fetch(byId('node_load1'), { from: a, to: c });
    const t1 = first[0]?.points.map((p) => p.t) ?? [];
    const t2 = second[0]?.points.map((p) => p.t) ?? [];
    expect(t1.every((t) => t >= a && t < b)).toBe(true);
    expect(t2.every((t) => t >= b && t < c)).toBe(true);
    // The two halves are exactly the whole: nothing lost at the seam, nothing read twice.
    expect([...t1, ...t2]).toEqual(whole[0]?.points.map((p) => p.t));
    expect(t2.length).toBeGreaterThan(0);
  });

  test('a Prometheus restart: unavailable (retryable) while down, then fetching [cursor, now) continues', async () => {
    const q = byId('node_load1');
    const before = await source.fetch(q, { from: Date.now() - 10_000, to: Date.now() });
    const cursor = Math.max(...(before[0]?.points.map((p) => p.t) ?? [])) + 1;
    expect(Number.isFinite(cursor)).toBe(true);

    await prom.stop();
    // A window that surely holds a step, so the source must ask Prometheus.
    const err = await source.fetch(q, { from: cursor, to: cursor + 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('E_PROMETHEUS_UNAVAILABLE');
    expect((err as VigilError).retryable).toBe(true);
    expect((err as VigilError).message).toContain(prom.url);

    await prom.restart();
    // A few scrapes after the restart, [cursor, now) holds new points, strictly after the cursor.
    await new Promise((r) => setTimeout(r, 2500));
    const after = await source.fetch(q, { from: cursor, to: Date.now() });
    const ts = after[0]?.points.map((p) => p.t) ?? [];
    expect(ts.length).toBeGreaterThan(0);
    expect(ts.every((t) => t >= cursor)).toBe(true);
    expect(after[0]?.ref.key).toBe(before[0]?.ref.key);
  }, 45_000);
});
