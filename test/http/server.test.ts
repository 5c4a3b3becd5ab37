import type { FastifyPluginAsync } from 'fastify';
import { VigilError, type VigilErrorCode } from '../../src/domain/errors.js';
import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';

describe('http server', () => {
  it('answers health, readiness and metrics over real HTTP; readiness names the failing check, never its address', async () => {
    const metrics = createMetrics(false);
    metrics.pointsIngested('simulator', 42);
    let dbUp = true;
    const app = await createHttpServer({
      log: silentLogger(),
      metrics,
      checks: [
        {
          name: 'store',
          check: async () => {
            if (!dbUp) throw new VigilError('E_STORE_UNAVAILABLE', 'store: connect ECONNREFUSED 10.1.2.3:5432', true);
          },
        },
      ],
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${address}/readyz`)).json()).toEqual({ ok: true, checks: ['store'] });
      dbUp = false;
      const notReady = await fetch(`${address}/readyz`);
      expect(notReady.status).toBe(503);
      const text = await notReady.text();
      expect(JSON.parse(text)).toEqual({ ok: false, failures: [{ check: 'store', error: 'E_STORE_UNAVAILABLE' }] });
      expect(text).not.toContain('5432');
      const metricsText = await (await fetch(`${address}/metrics`)).text();
      expect(metricsText).toContain('vigil_points_ingested_total{source="simulator"} 42');
    } finally {
      await app.close();
    }
  });

  // Regression: every VigilError used to be a 400, so a client that retries only 5xx dropped its data when the store was down.
  it.each([
    [
      new VigilError('E_STORE_UNAVAILABLE', 'store: connect ECONNREFUSED 10.1.2.3:5432', true),
      503,
      'temporarily unavailable: retry later',
    ],
    [new VigilError('E_STORE_QUERY', 'store: syntax error at 10.1.2.3', false), 500, 'internal error'],
    [new VigilError('E_SOMETHING_BAD' as VigilErrorCode, 'the request is wrong', false), 400, 'the request is wrong'],
  ])('maps a thrown %s to its status, with Retry-After on 503 and no internal detail', async (err, status, message) => {
    const thrower: FastifyPluginAsync = async (a) => {
      a.post('/write', async () => {
        throw err;
      });
    };
    const app = await createHttpServer({
      log: silentLogger(),
      metrics: createMetrics(false),
      checks: [],
      plugins: [thrower],
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${address}/write`, { method: 'POST' });
      expect(res.status).toBe(status);
      expect(res.headers.get('retry-after')).toBe(status === 503 ? '5' : null);
      expect(await res.json()).toEqual({ error: err.code, message });
    } finally {
      await app.close();
    }
  });
});
