/**
 * What a built App serves (main.ts wires it): for `vigil start`, the one
 * HTTP server (push, deploy and change-event webhooks, the Slack bot's
 * route, health, /metrics), the Slack bot, the scheduler of the configured
 * sources and the hourly pruning; for `vigil worker`, a listener with
 * health and /metrics only.
 * Effects: listens on http.host; Socket Mode connects out in the background.
 * Failure modes: a listener that cannot start closes the App and rejects
 * (a worker's port in use is E_CONFIG naming the key); Slack refusing the
 * app token is logged, never thrown.
 */
import { join } from 'node:path';
import { changeEventRoutes, deploymentRoutes } from '../changes/index.js';
import { ConfigError, type Config } from '../config/index.js';
import type * as Http from '../http/index.js';
import { classify as classifySlackError } from '../notify/slack/errors.js';
import { startScheduler } from '../sources/index.js';
import { pushRoutes } from '../sources/push/index.js';
import { configuredSources, logPollingCost } from './sources.js';
import type { App, Service, Worker } from './types.js';

/** http's createHttpServer, its module (and fastify) imported by the processes that listen, not by every command. */
const createHttpServer: typeof Http.createHttpServer = async (...args) =>
  (await import('../http/index.js')).createHttpServer(...args);

/** Serves `app` as `vigil start` does; `slackMode` is slackServing(config). */
export async function serveService(app: App, config: Config, slackMode: 'http' | 'socket' | null): Promise<Service> {
  let http: Awaited<ReturnType<typeof createHttpServer>> | null = null;
  try {
    http = await createHttpServer({
      log: app.log,
      metrics: app.metrics,
      checks: [{ name: 'store', check: () => app.store.ping() }],
      plugins: [
        pushRoutes({ store: app.store, token: config.push.token, maxPoints: config.push.maxPoints }),
        deploymentRoutes({ store: app.store, token: config.deploy.token, githubSecret: config.github.webhookSecret }),
        changeEventRoutes({ store: app.store, ...config.changeEvents }),
        ...(app.slack?.routes ? [app.slack.routes] : []),
      ],
    });
    await http.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await http?.close();
    await app.close();
    throw err;
  }
  const server = http;
  // Socket Mode connects in the background: detection and notifications never wait for it.
  // It retries by itself while Slack is unreachable; a refused app token ends it (logged).
  const slackStarted = !app.slack
    ? Promise.resolve()
    : app.slack.start().then(
        () =>
          app.log.info(
            { mode: slackMode },
            slackMode === 'socket' ? 'Slack: connected in Socket Mode' : 'Slack: serving POST /slack/events',
          ),
        (err: unknown) =>
          app.log.error(
            { err: classifySlackError(err).message },
            'Slack: Socket Mode could not connect (notify.slack.appToken, SLACK_APP_TOKEN): commands and buttons are unavailable until a restart; posts go on',
          ),
      );
  const sources = configuredSources(config, Date.now(), app.store);
  await logPollingCost(sources, config, app.log);
  if (sources.length === 0)
    app.log.warn('no metric sources configured: set sources.* in vigil.yaml (see docs/configuration.md)');

  const scheduler = startScheduler({
    sources: sources.map((source) => ({
      source,
      intervalMs: config.worker.pullInterval,
      initialLookbackMs: config.worker.pullInterval * 60,
    })),
    queue: app.queue,
    cursors: app.store,
    log: app.log,
  });
  // Pushed points leave their queue when scored (src/store/sql/pushed.ts), never by age.
  const pruneTimer = setInterval(() => {
    // Webhook delivery ids are kept as long as SNS messages are accepted (sns.ts maxAgeMs), then pruned.
    void app.store
      .pruneDeliveries(Date.now() - 7 * 86_400_000)
      .catch((err: unknown) => app.log.warn({ err }, 'pruning webhook deliveries failed'));
    // Raw points serve attribution, verdicts and charts: two days (well beyond lookback + verdict windows).
    void app.store
      .prunePoints(Date.now() - 2 * 86_400_000)
      .catch((err: unknown) => app.log.warn({ err }, 'pruning metric points failed'));
  }, 3_600_000);
  const depthTimer = setInterval(() => {
    void Promise.all(
      (['pull', 'notify'] as const).map(async (name) =>
        app.metrics.queueDepth(name, (await app.queue.counts(name)).waiting),
      ),
    ).catch((err: unknown) => app.log.debug({ err }, 'queue depth unavailable'));
  }, 5000);
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  app.log.info({ url, sources: sources.map((s) => s.id) }, 'vigil started');

  return {
    app,
    url,
    slackStarted,
    async stop() {
      clearInterval(depthTimer);
      clearInterval(pruneTimer);
      await scheduler.stop();
      await server.close();
      // After the server: no new Slack requests; listeners still running finish (HTTP) or Socket Mode disconnects.
      await app.slack?.stop();
      await app.close();
    },
  };
}

/**
 * A worker shares jobs through Redis and state through PostgreSQL: a shared
 * queue with an embedded store scores series into a database nobody else reads.
 */
export function checkWorkerConfig(config: Config): void {
  if (config.redisUrl && !config.databaseUrl) {
    throw new ConfigError(
      `vigil worker: REDIS_URL is set but DATABASE_URL is not, so this worker would take jobs from the shared queue and keep ` +
        `their state in its own embedded store (${join(config.dataDir, 'pglite')}), which \`vigil start\` cannot share. ` +
        'Set DATABASE_URL to the PostgreSQL server `vigil start` uses, to share storage between processes',
    );
  }
}

/** Serves `app` as `vigil worker` does: its metrics listener on worker.metricsPort, none when 0. */
export async function serveWorker(app: App, config: Config): Promise<Worker> {
  const port = config.worker.metricsPort;
  if (port === 0) return { app, metricsUrl: null, stop: () => app.close() };
  // The one HTTP server with no routes of its own: health, readiness and the process's metrics registry only.
  let server: Awaited<ReturnType<typeof createHttpServer>> | null = null;
  try {
    server = await createHttpServer({
      log: app.log,
      metrics: app.metrics,
      checks: [{ name: 'store', check: () => app.store.ping() }],
    });
    await server.listen({ host: config.http.host, port });
  } catch (err) {
    await server?.close();
    await app.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `vigil worker: worker.metricsPort ${port} (VIGIL_WORKER_METRICS_PORT) on ${config.http.host} is already in use, ` +
          'perhaps by another worker on this host: give each worker its own port, or 0 for no metrics listener',
      );
    }
    throw err;
  }
  const listening = server;
  const address = listening.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    app,
    metricsUrl: `http://${config.http.host}:${bound}`,
    async stop() {
      await listening.close();
      await app.close();
    },
  };
}
