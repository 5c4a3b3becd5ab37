import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';

describe('http server', () => {
  it('answers health, readiness and metrics over real HTTP', async () => {
    const metrics = createMetrics(false);
    metrics.pointsIngested('simulator', 42);
    let dbUp = true;
    const app = await createHttpServer({
      log: silentLogger(), metrics,
      checks: [{ name: 'store', check: async () => { if (!dbUp) throw new Error('connection refused'); } }],
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${address}/readyz`)).json()).toEqual({ ok: true, checks: ['store'] });
      dbUp = false;
      const notReady = await fetch(`${address}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ ok: false, failures: [{ check: 'store', error: 'connection refused' }] });
      const text = await (await fetch(`${address}/metrics`)).text();
      expect(text).toContain('vigil_points_ingested_total{source="simulator"} 42');
    } finally {
      await app.close();
    }
  });
});
