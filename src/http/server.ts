/**
 * The one HTTP server (fastify): health, readiness and Prometheus metrics;
 * later issues add webhooks and the Slack receiver as route plugins.
 * Effects: listens on host:port. Failure modes: a readiness check that
 * throws makes /readyz answer 503 naming the check and its error code (never
 * its message, which may carry a host and port); handler errors are answered
 * with a stable code and logged once, never crash the process:
 * - a retryable VigilError (the store is down) is 503 with Retry-After, so a
 *   client that retries only 5xx still retries, and its data is not dropped
 *   (a store outage is logged by the store's outage log, not per request);
 * - another store error is 500 (our fault, not the request's);
 * - any other VigilError is the request's fault: 400.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from '../observability/index.js';
import type { Metrics } from '../observability/index.js';
import { isStoreCode, VigilError } from '../domain/errors.js';

export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HttpServerOptions {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly checks: readonly ReadinessCheck[];
  readonly plugins?: readonly FastifyPluginAsync[];
  /** Largest accepted body in bytes (413 beyond). */
  readonly bodyLimit?: number;
}

/** Seconds a client is asked to wait before retrying a 503. */
const RETRY_AFTER_S = 5;

const storeDown = (err: Error) => err instanceof VigilError && err.code === 'E_STORE_UNAVAILABLE';

function statusOf(err: Error & { statusCode?: number }): number {
  if (!(err instanceof VigilError)) return err.statusCode ?? 500;
  if (err.retryable) return 503;
  return isStoreCode(err.code) ? 500 : 400;
}

export async function createHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  // No per-request log lines (handlers log what matters); through LogController, as fastify 5.12 asks.
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = statusOf(err);
    // A store outage is logged once by the store's outage log, not once per refused request.
    if (status >= 500 && !storeDown(err)) req.log.error({ err }, 'request failed');
    const code = err instanceof VigilError ? err.code : (err.code ?? 'E_INTERNAL');
    if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_S));
    const message =
      status === 503 ? 'temporarily unavailable: retry later' : status >= 500 ? 'internal error' : err.message;
    void reply.status(status).send({ error: code, message });
  });

  // Every 401 is counted; the first per route each minute is logged (a flood of bad tokens must not flood the log).
  const lastLogged = new Map<string, number>();
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode !== 401) return;
    const route = req.routeOptions.url ?? 'unknown';
    opts.metrics.unauthorized(route);
    const now = Date.now();
    if (now - (lastLogged.get(route) ?? -Infinity) < 60_000) return;
    lastLogged.set(route, now);
    opts.log.warn(
      { route, ip: req.ip },
      `refused an unauthenticated request to ${route} (401); vigil_http_unauthorized_total counts them all`,
    );
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_req, reply) => {
    const failures: Array<{ check: string; error: string }> = [];
    for (const c of opts.checks) {
      try {
        await c.check();
      } catch (err) {
        failures.push({ check: c.name, error: err instanceof VigilError ? err.code : 'E_UNAVAILABLE' });
      }
    }
    if (failures.length > 0) return reply.status(503).send({ ok: false, failures });
    return { ok: true, checks: opts.checks.map((c) => c.name) };
  });

  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', opts.metrics.registry.contentType);
    return opts.metrics.registry.metrics();
  });

  for (const plugin of opts.plugins ?? []) await app.register(plugin);
  return app;
}
