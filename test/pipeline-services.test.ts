/**
 * The pipeline on real PostgreSQL and Redis (BullMQ), with two worker
 * processes' worth of Apps sharing the pull jobs: the "two `vigil worker`
 * processes share the work" promise. Runs in CI; skipped with a reason
 * elsewhere when a service is down.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { buildApp, type App } from '../src/main.js';
import { silentLogger } from '../src/observability/index.js';
import { driveVirtualTime } from '../src/sources/index.js';
import { createSimulator } from '../src/sources/simulator/index.js';
import { createTestDatabase, type TestDatabase } from './store/pg-fixture.js';
import { postgresAvailable, redisAvailable, testRedisUrl } from './support/services.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);
const describeWithBoth = postgresAvailable && redisAvailable ? describe : describe.skip;

describeWithBoth('pipeline on PostgreSQL + BullMQ with two workers', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db.drop();
  });

  it('shares the pull jobs between workers and opens each incident once', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vigil-svc-'));
    const config = loadConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl }, cwd);
    const handled = [0, 0];
    const prefix = `vigil-test-${randomBytes(4).toString('hex')}`;
    for (const i of [0, 1]) {
      const app = await buildApp(config, {
        consume: i === 0 ? ['pull', 'notify'] : ['pull'],
        log: silentLogger(),
        notifiers: [],
        queuePrefix: prefix,
      });
      apps.push(app);
    }
    const sim = createSimulator({ seed: 4, start: START, stepMs: 60_000, services: 4, durationMs: DAY });
    await driveVirtualTime({
      sources: [sim],
      queue: apps[0]!.queue,
      from: START,
      to: START + DAY,
      tickMs: 60 * 60_000,
    });

    // Each worker counts the points it scored in its own metrics registry.
    for (const [i, app] of apps.entries()) {
      const text = await app.metrics.registry.getSingleMetricAsString('vigil_points_ingested_total');
      handled[i] = Number(/source="simulator"} (\d+)/.exec(text)?.[1] ?? 0);
    }
    expect(handled[0]).toBeGreaterThan(0);
    expect(handled[1]).toBeGreaterThan(0);
    const store = apps[0]!.store;
    const series = await store.listSeries();
    expect(series).toHaveLength(25); // 4 services and their shared database, 5 metrics each
    // Every point scored exactly once across both workers: cursors at the last sample.
    for (const s of series) expect(await store.getCursor('simulator', s.key)).toBe(START + DAY - 60_000);
    const scored = handled[0]! + handled[1]!;
    const gaps = 25 * 1440 - scored;
    expect(gaps).toBeGreaterThanOrEqual(0);
    expect(gaps).toBeLessThan(25 * 1440 * 0.05);
    const incidents = await store.listIncidents({ limit: 1000 });
    expect(incidents.length).toBeGreaterThan(0);
    const ids = new Set(incidents.map((i) => i.id));
    expect(ids.size).toBe(incidents.length);
    expect(incidents.filter((i) => i.status === 'open').length).toBeLessThanOrEqual(5);
  });
});
