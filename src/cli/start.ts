/**
 * `vigil start`: the long-lived service — HTTP server, scheduler, pull and
 * notify workers in one process. SIGINT/SIGTERM stop the scheduler, close the
 * HTTP server, let running jobs finish, then close queue and store.
 */
import type { Command } from 'commander';
import { createHttpServer } from '../http/index.js';
import { buildApp, configuredSources, logPollingCost } from '../main.js';
import { startScheduler } from '../sources/index.js';
import { changeEventRoutes, deploymentRoutes } from '../correlate/index.js';
import { pushRoutes } from '../sources/push/index.js';
import { configFromEnv, fail, untilSignal } from './context.js';

export function register(program: Command): void {
  program
    .command('start')
    .description('Run the service: HTTP server (health, metrics), scheduler and workers')
    .action(async () => {
      try {
        const config = configFromEnv();
        const app = await buildApp(config, { consume: ['pull', 'notify'] });
        const http = await createHttpServer({
          log: app.log, metrics: app.metrics,
          checks: [{ name: 'store', check: () => app.store.ping() }],
          plugins: [
            pushRoutes({ store: app.store, token: config.push.token, maxPoints: config.push.maxPoints }),
            deploymentRoutes({ store: app.store, token: config.deploy.token, githubSecret: config.github.webhookSecret }),
            changeEventRoutes({ store: app.store, ...config.changeEvents }),
          ],
        });
        await http.listen({ host: config.http.host, port: config.http.port });
        const sources = configuredSources(config, Date.now(), app.store);
        await logPollingCost(sources, config, app.log);
        if (sources.length === 0) app.log.warn('no metric sources configured: set sources.* in vigil.yaml (see README, Configuration)');

        const scheduler = startScheduler({
          sources: sources.map((source) => ({ source, intervalMs: config.worker.pullInterval, initialLookbackMs: config.worker.pullInterval * 60 })),
          queue: app.queue, cursors: app.store, log: app.log,
        });
        // Pushed points are scored within minutes; a week is kept for re-reads, then pruned.
        const pruneTimer = setInterval(() => {
          void app.store.prunePushedPoints(Date.now() - 7 * 86_400_000).catch((err: unknown) => app.log.warn({ err }, 'pruning pushed points failed'));
          // Webhook delivery ids are kept as long as SNS messages are accepted (sns.ts maxAgeMs), then pruned.
          void app.store.pruneDeliveries(Date.now() - 7 * 86_400_000).catch((err: unknown) => app.log.warn({ err }, 'pruning webhook deliveries failed'));
          // Raw points serve attribution, verdicts and charts: two days (well beyond lookback + verdict windows).
          void app.store.prunePoints(Date.now() - 2 * 86_400_000).catch((err: unknown) => app.log.warn({ err }, 'pruning metric points failed'));
        }, 3_600_000);
        const depthTimer = setInterval(() => {
          void Promise.all((['pull', 'notify'] as const).map(async (name) => app.metrics.queueDepth(name, (await app.queue.counts(name)).waiting)))
            .catch((err: unknown) => app.log.debug({ err }, 'queue depth unavailable'));
        }, 5000);
        const address = http.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
        app.log.info({ url: `http://${config.http.host}:${port}`, sources: sources.map((s) => s.id) }, 'vigil started');

        const signal = await untilSignal();
        clearInterval(depthTimer);
        clearInterval(pruneTimer);
        await scheduler.stop();
        app.log.info({ signal }, 'shutting down');
        await http.close();
        await app.close();
      } catch (err) { fail(err); }
    });
}
