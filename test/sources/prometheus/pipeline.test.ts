// End to end on real pieces: real Prometheus + node_exporter -> Prometheus
// source -> scoreSeries with the ensemble detector on an embedded PGlite
// store, pulled the way the pipeline pulls ([query cursor, now)), across a
// Prometheus restart. Cursors only move forward; no point is scored twice.
import { VigilError } from '../../../src/domain/index.js';
import type { Series } from '../../../src/domain/index.js';
import { createEnsembleFactory } from '../../../src/detect/index.js';
import { queryCursorKey } from '../../../src/sources/index.js';
import { createPrometheusSource } from '../../../src/sources/prometheus/index.js';
import type { MetricSource, SourceQuery } from '../../../src/sources/types.js';
import { commitScored, scoreSeries } from '../../../src/stages/score.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/index.js';
import { describeWithPrometheus, startPrometheus } from './real-prometheus.js';
import type { RealPrometheus } from './real-prometheus.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWithPrometheus('real Prometheus -> score -> store', () => {
  let prom: RealPrometheus;
  let store: Store;
  let source: MetricSource;
  let queries: SourceQuery[];
  const detectors = createEnsembleFactory();
  /** every (series key, t) scoreSeries reported as scored */
  const scoredPoints = new Map<string, number[]>();

  beforeAll(async () => {
    [prom, store] = await Promise.all([startPrometheus(), openStore({ dataDir: 'memory://' })]);
    source = createPrometheusSource({
      url: prom.url,
      timeoutMs: 2000,
      queries: [
        { id: 'cpu_user', promql: 'rate(node_cpu_seconds_total{mode="user"}[5s])', stepSeconds: 1 },
        { promql: 'node_load1', stepSeconds: 1 },
      ],
    });
    queries = await source.queries();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([prom?.close(), store?.close()]);
  });

  /** One pull of every query, as the pipeline's pull job does it: points scored, and old points fetched again. */
  async function pullAll(now: number, rereadMs = 0): Promise<{ scored: number; reread: number }> {
    let scored = 0;
    let reread = 0;
    for (const q of queries) {
      const from = ((await store.getCursor(source.id, queryCursorKey(q))) ?? now - 15_000) - rereadMs;
      const series: Series[] = await source.fetch(q, { from, to: now });
      for (const s of series) {
        await store.upsertSeries(s.ref);
        const before = (await store.getCursor(source.id, s.ref.key)) ?? -Infinity;
        const r = await scoreSeries(s, {
          store,
          detectors,
          threshold: 0.3,
          sourceId: source.id,
          onBadInput: () => undefined,
          onStateReset: () => undefined,
        });
        await commitScored(store, source.id, [r]);
        // What it scored is exactly the finite points after the series cursor.
        const fresh = s.points.filter((p) => p.t > before && Number.isFinite(p.v)).map((p) => p.t);
        expect(r.scored).toBe(fresh.length);
        scoredPoints.set(s.ref.key, [...(scoredPoints.get(s.ref.key) ?? []), ...fresh]);
        scored += r.scored;
        reread += s.points.filter((p) => p.t <= before).length;
      }
      await store.setCursor(source.id, queryCursorKey(q), now);
    }
    return { scored, reread };
  }

  async function seriesCursors(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const key of scoredPoints.keys()) out.set(key, (await store.getCursor(source.id, key)) ?? -Infinity);
    return out;
  }

  test('scores real points, survives a restart, never re-scores', async () => {
    expect((await pullAll(Date.now())).scored).toBeGreaterThan(0);
    expect([...scoredPoints.keys()].some((k) => k.startsWith('prometheus:cpu_user{'))).toBe(true);
    expect([...scoredPoints.keys()].some((k) => k.startsWith('prometheus:node_load1{'))).toBe(true);
    const first = await seriesCursors();
    for (const [key, t] of first) expect(t).toBe(Math.max(...(scoredPoints.get(key) ?? [])));

    // Re-reading an old window (late-data re-reads do this) scores only what is new.
    await sleep(1100);
    const again = await pullAll(Date.now(), 10_000);
    expect(again.reread).toBeGreaterThan(0); // old points did come back, and pullAll checked none was scored

    await prom.stop();
    const queryCursor = await store.getCursor(source.id, queryCursorKey(queries[0]!));
    const down = await pullAll(Date.now() + 3000).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(VigilError);
    expect([(down as VigilError).code, (down as VigilError).retryable]).toEqual(['E_PROMETHEUS_UNAVAILABLE', true]);
    // A failed pull leaves the query cursor where it was, so the window is pulled again later.
    expect(await store.getCursor(source.id, queryCursorKey(queries[0]!))).toBe(queryCursor);

    await prom.restart();
    await sleep(2500);
    const mid = await seriesCursors();
    expect((await pullAll(Date.now())).scored).toBeGreaterThan(0);
    const after = await seriesCursors();
    let advanced = 0;
    for (const [key, t] of after) {
      expect(t).toBeGreaterThanOrEqual(mid.get(key) ?? -Infinity);
      if (t > (mid.get(key) ?? -Infinity)) advanced++;
    }
    expect(advanced).toBeGreaterThan(0);
    // Nothing scored twice, across all rounds and the restart.
    for (const ts of scoredPoints.values()) expect(new Set(ts).size).toBe(ts.length);
  }, 50_000);
});
