/**
 * `vigil worker` serves its own /metrics and /healthz (issue 16): its
 * counters move as it scores, over real HTTP, and its output names no secret
 * or address. The key worker.metricsPort is checked at the boundary.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorker, type Worker } from '../../src/main.js';
import { loadConfig } from '../../src/config/index.js';
import { seriesKey, type Series } from '../../src/domain/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { PUSH_QUERY } from '../../src/sources/push/index.js';

const PUSH_TOKEN = 'push-token-0123456789-secret';
const DEPLOY_TOKEN = 'deploy-token-0123456789-secret';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function series(n: number, withNaN: boolean): Series {
  const labels = { host: 'a', service: 'orders' };
  const t0 = Date.UTC(2026, 10, 1);
  return {
    ref: {
      key: seriesKey('push', 'latency_ms', labels),
      source: 'push',
      metric: 'latency_ms',
      service: 'orders',
      labels,
    },
    points: Array.from({ length: n }, (_, i) => ({
      t: t0 + i * 60_000,
      v: withNaN && i === n - 1 ? Number.NaN : 100 + (i % 7),
    })),
  };
}

describe('vigil worker metrics listener', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-worker-metrics-'));
  let worker: Worker | null = null;
  afterAll(async () => {
    await worker?.stop();
  });

  it('serves /healthz and /metrics whose counters move after the worker scores points', async () => {
    const port = await freePort();
    const config = loadConfig(
      {
        VIGIL_WORKER_METRICS_PORT: String(port),
        VIGIL_DATA_DIR: join(dir, 'a'),
        VIGIL_PUSH_TOKEN: PUSH_TOKEN,
        VIGIL_DEPLOY_TOKEN: DEPLOY_TOKEN,
      },
      dir,
    );
    worker = await startWorker(config, { log: silentLogger() });
    expect(worker.metricsUrl).toBe(`http://127.0.0.1:${port}`);

    const health = await fetch(`${worker.metricsUrl}/healthz`);
    expect(health.status).toBe(200);
    const before = await (await fetch(`${worker.metricsUrl}/metrics`)).text();
    expect(sample(before, 'vigil_points_ingested_total', 'source="push"')).toBe(0);

    // Work through the worker's own queue and store: 30 pushed points, the last one not finite.
    await worker.app.store.insertPushedPoints([series(30, true)], 'push');
    await worker.app.queue.enqueue('pull', { query: PUSH_QUERY, range: { from: 0, to: Date.now() } });
    await worker.app.queue.whenIdle();

    const res = await fetch(`${worker.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const after = await res.text();
    expect(sample(after, 'vigil_points_ingested_total', 'source="push"')).toBe(29);
    expect(sample(after, 'vigil_bad_input_total', 'kind="non_finite"')).toBe(1);
    expect(after).toContain('vigil_jobs_stalled_total');
    expect(after).toMatch(/^vigil_process_max_resident_memory_bytes [1-9]\d*$/m);
    for (const secret of [PUSH_TOKEN, DEPLOY_TOKEN, dir, '127.0.0.1']) expect(after).not.toContain(secret);
    // The port as a number of its own: its digits may occur inside a sample's value (a GC duration once did).
    expect(after).not.toMatch(new RegExp(`(?<![\\d.])${port}(?!\\d)`));
  });

  it('a metrics port already in use stops the worker with E_CONFIG naming the key and the fix', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const config = loadConfig({ VIGIL_WORKER_METRICS_PORT: String(port), VIGIL_DATA_DIR: join(dir, 'b') }, dir);
      await expect(startWorker(config, { log: silentLogger() })).rejects.toMatchObject({
        code: 'E_CONFIG',
        message: expect.stringMatching(/worker\.metricsPort .*VIGIL_WORKER_METRICS_PORT.*already in use/),
      });
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('checks worker.metricsPort at the boundary: a port, or 0 for none', () => {
    expect(loadConfig({}, dir).worker.metricsPort).toBe(9465);
    expect(loadConfig({ VIGIL_WORKER_METRICS_PORT: '0' }, dir).worker.metricsPort).toBe(0);
    for (const bad of ['http', '70000', '-1', '80.5']) {
      expect(() => loadConfig({ VIGIL_WORKER_METRICS_PORT: bad }, dir)).toThrow(
        expect.objectContaining({
          code: 'E_CONFIG',
          message: expect.stringContaining('worker.metricsPort = '),
        }),
      );
    }
    expect(() => loadConfig({ VIGIL_WORKER_METRICS_PORT: '70000' }, dir)).toThrow(
      /from VIGIL_WORKER_METRICS_PORT\): expected a port number from 1 to 65535, or 0/,
    );
  });
});
