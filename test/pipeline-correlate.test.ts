/**
 * Grouping, attribution and verdicts through the real pipeline on embedded
 * defaults: two linked services regress together right after a deploy of
 * the one the other depends on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { seriesKey, type Point, type Series, type SeriesRef } from '../src/domain/index.js';
import { buildApp, type App } from '../src/main.js';
import type { Notifier, VerdictEvent } from '../src/notify/index.js';
import { silentLogger } from '../src/observability/index.js';
import { pull, type PipelineDeps } from '../src/pipeline.js';
import type { MetricSource } from '../src/sources/index.js';

const MIN = 60_000;
const START = Date.UTC(2026, 0, 5);
const DEPLOY = 240;

function ref(service: string, metric: string): SeriesRef {
  const labels = { service };
  return { key: seriesKey('fixed', metric, labels), source: 'fixed', metric, service, labels };
}

/** Seeded noise around `level(minute)`. */
function points(n: number, level: (m: number) => number, seed: number): Point[] {
  let x = seed;
  const rand = () => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  };
  return Array.from({ length: n }, (_, m) => ({ t: START + m * MIN, v: level(m) * (1 + 0.08 * rand()) }));
}

const regressed = (m: number) => (m < DEPLOY + 2 ? 100 : 260);
const SERIES: Series[] = [
  { ref: ref('api', 'latency_p95_ms'), points: points(400, regressed, 1) },
  { ref: ref('db', 'latency_p95_ms'), points: points(400, regressed, 2) },
  { ref: ref('api', 'cpu_pct'), points: points(400, () => 40, 3) },
];

const source: MetricSource = {
  id: 'fixed',
  stepMs: MIN,
  queries: async () => [{ sourceId: 'fixed', id: 'all', params: {} }],
  fetch: async (_q, r) =>
    SERIES.map((s) => ({ ref: s.ref, points: s.points.filter((p) => p.t >= r.from && p.t < r.to) })),
};

describe('pipeline: linked services, suspects and verdicts', () => {
  let app: App;
  let deps: PipelineDeps;
  const verdicts: VerdictEvent[] = [];
  const recorder: Notifier = {
    name: 'recorder',
    send: async () => ({ ok: true, ref: null }),
    sendVerdict: async (e) => {
      verdicts.push(e);
      return { ok: true, ref: null };
    },
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-corr-'));
    writeFileSync(join(dir, 'vigil.yaml'), 'correlate:\n  dependsOn:\n    api: [db]\n');
    app = await buildApp(loadConfig({}, dir), {
      consume: ['pull', 'notify'],
      ephemeralStore: true,
      log: silentLogger(),
      notifiers: [recorder],
    });
    deps = { ...app.deps, resolveSource: () => source };
    await app.store.upsertDeployment({
      id: 'db-42',
      service: 'db',
      environment: 'prod',
      version: '42',
      startedAt: START + DEPLOY * MIN,
      finishedAt: START + (DEPLOY + 3) * MIN,
      status: 'succeeded',
      actor: 'carol',
      source: 'api',
      url: null,
      strategy: 'rolling',
    });
    await app.store.upsertDeployment({
      id: 'search-7',
      service: 'search',
      environment: 'prod',
      version: '7',
      startedAt: START + (DEPLOY + 1) * MIN,
      finishedAt: START + (DEPLOY + 2) * MIN,
      status: 'succeeded',
      actor: 'dan',
      source: 'api',
      url: null,
      strategy: null,
    });
    await app.store.insertExternalEvent({
      id: 'am-1',
      source: 'alertmanager',
      service: 'db',
      at: START + (DEPLOY + 1) * MIN,
      kind: 'alert',
      status: 'firing',
      title: 'DbSlowQueries',
      detail: 'p99 query time above 200 ms',
      url: null,
      labels: { alertname: 'DbSlowQueries' },
    });
    const query = (await source.queries())[0]!;
    for (let m = 0; m < 400; m += 20) {
      await pull({ query, range: { from: START + m * MIN, to: START + (m + 20) * MIN } }, deps);
      await app.queue.whenIdle();
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  test('anomalies on linked services are one incident listing both services', async () => {
    const incidents = (await app.store.listIncidents({ limit: 10 })).filter((i) => i.openedAt >= START + DEPLOY * MIN);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.service).toBe('api+db');
    expect(incidents[0]!.services).toEqual(['api', 'db']);
  });

  test('an alert that fired on a linked service just before onset joins the incident timeline', async () => {
    const [incident] = (await app.store.listIncidents({ limit: 10 })).filter((i) => i.openedAt >= START + DEPLOY * MIN);
    const alerts = (await app.store.timeline(incident!.id)).filter((e) => e.kind === 'alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toMatch(/DbSlowQueries/);
  });

  test('the deploy of the dependency is the suspect; a deploy on an unlinked service is not considered', async () => {
    const [incident] = (await app.store.listIncidents({ limit: 10 })).filter((i) => i.openedAt >= START + DEPLOY * MIN);
    expect(incident!.suspect?.deploymentId).toBe('db-42');
    expect(incident!.suspect!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(incident!.suspects?.map((s) => s.deploymentId)).toEqual(['db-42']);
    expect(incident!.attribution).toMatch(/^suspect db-42 .*latency_p95_ms shifted at the deploy/);
    const timeline = await app.store.timeline(incident!.id);
    expect(timeline.filter((e) => e.kind === 'suspect').map((e) => e.data?.deploymentId)).toContain('db-42');
  });

  test('the deploy gets a stored "fail" verdict naming the metric, delivered to the notifier once', async () => {
    const verdict = await app.store.getVerdict('db-42');
    expect(verdict?.outcome).toBe('fail');
    expect(verdict?.summary).toMatch(/^fail: latency_p95_ms rose 2\.\dx/);
    expect(verdicts.map((v) => v.verdict.deploymentId)).toEqual(['db-42']);
    expect(verdicts[0]!.deployment.version).toBe('42');
  });
});
