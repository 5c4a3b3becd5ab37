/**
 * `vigil start`: the long-lived service — HTTP server, scheduler, pull and
 * notify workers and the Slack bot in one process. The bot is served at
 * POST /slack/events (HTTP mode, signing secret) or connects out (Socket
 * Mode, app-level token). SIGINT/SIGTERM stop the scheduler, close the HTTP
 * server, stop the bot, let running jobs finish, then close queue and store.
 * Failure modes: a ConfigError before anything opens when the Slack keys do
 * not fit together (docs/slack.md).
 */
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import { createHttpServer } from '../http/index.js';
import { buildApp, configuredSources, logPollingCost, type App, type AppOptions } from '../main.js';
import { slackServing } from '../notify/configured.js';
import { classifySlackError } from '../notify/slack/index.js';
import type { Logger } from '../observability/index.js';
import { startScheduler } from '../sources/index.js';
import { changeEventRoutes, deploymentRoutes } from '../changes/index.js';
import { pushRoutes } from '../sources/push/index.js';
import { configFromEnv, fail, untilSignal } from './context.js';

export interface StartOptions {
  /** Embedded store in memory (tests). */
  readonly ephemeralStore?: boolean;
  readonly log?: Logger;
  /** Job kinds this process consumes (default pull and notify); `vigil bench pipeline` leaves pull jobs to worker processes. */
  readonly consume?: AppOptions['consume'];
  /** Replaces the configured notifiers (`vigil bench pipeline` records deliveries instead). */
  readonly notifiers?: AppOptions['notifiers'];
}

export interface Service {
  readonly app: App;
  /** Base URL of the HTTP server. */
  readonly url: string;
  /**
   * Settles once the Slack bot is up: at once in HTTP mode (or without
   * Slack); in Socket Mode when it connected, or gave up (logged). Never rejects.
   */
  readonly slackStarted: Promise<void>;
  /** Stops everything started, in order; the store and queue last. */
  stop(): Promise<void>;
}

/** Starts what `vigil start` runs and resolves once it listens (and Socket Mode is connected). */
export async function startService(config: Config, o: StartOptions = {}): Promise<Service> {
  const slackMode = slackServing(config);
  const app = await buildApp(config, {
    consume: o.consume ?? ['pull', 'notify'], ...(o.ephemeralStore ? { ephemeralStore: true } : {}), ...(o.log ? { log: o.log } : {}), ...(o.notifiers ? { notifiers: o.notifiers } : {}),
  });
  let http: Awaited<ReturnType<typeof createHttpServer>> | null = null;
  try {
    http = await createHttpServer({
      log: app.log, metrics: app.metrics,
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
  const slackStarted = !app.slack ? Promise.resolve() : app.slack.start().then(
    () => app.log.info({ mode: slackMode }, slackMode === 'socket' ? 'Slack: connected in Socket Mode' : 'Slack: serving POST /slack/events'),
    (err: unknown) => app.log.error({ err: classifySlackError(err).message }, 'Slack: Socket Mode could not connect (notify.slack.appToken, SLACK_APP_TOKEN): commands and buttons are unavailable until a restart; posts go on'),
  );
  const sources = configuredSources(config, Date.now(), app.store);
  await logPollingCost(sources, config, app.log);
  if (sources.length === 0) app.log.warn('no metric sources configured: set sources.* in vigil.yaml (see docs/configuration.md)');

  const scheduler = startScheduler({
    sources: sources.map((source) => ({ source, intervalMs: config.worker.pullInterval, initialLookbackMs: config.worker.pullInterval * 60 })),
    queue: app.queue, cursors: app.store, log: app.log,
  });
  // Pushed points leave their queue when scored (src/store/sql/pushed.ts), never by age.
  const pruneTimer = setInterval(() => {
    // Webhook delivery ids are kept as long as SNS messages are accepted (sns.ts maxAgeMs), then pruned.
    void app.store.pruneDeliveries(Date.now() - 7 * 86_400_000).catch((err: unknown) => app.log.warn({ err }, 'pruning webhook deliveries failed'));
    // Raw points serve attribution, verdicts and charts: two days (well beyond lookback + verdict windows).
    void app.store.prunePoints(Date.now() - 2 * 86_400_000).catch((err: unknown) => app.log.warn({ err }, 'pruning metric points failed'));
  }, 3_600_000);
  const depthTimer = setInterval(() => {
    void Promise.all((['pull', 'notify'] as const).map(async (name) => app.metrics.queueDepth(name, (await app.queue.counts(name)).waiting)))
      .catch((err: unknown) => app.log.debug({ err }, 'queue depth unavailable'));
  }, 5000);
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  app.log.info({ url, sources: sources.map((s) => s.id) }, 'vigil started');

  return {
    app, url, slackStarted,
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

export function register(program: Command): void {
  program
    .command('start')
    .description('Run the service: HTTP server (health, metrics, webhooks, Slack), scheduler and workers')
    .action(async () => {
      try {
        const service = await startService(configFromEnv());
        const signal = await untilSignal();
        service.app.log.info({ signal }, 'shutting down');
        await service.stop();
      } catch (err) { fail(err); }
    });
}
