/**
 * `vigil start`: the long-lived service — HTTP server, scheduler, pull and
 * notify workers in one process. SIGINT/SIGTERM stop the scheduler, close the
 * HTTP server, let running jobs finish, then close queue and store.
 */
import type { Command } from 'commander';
import { createHttpServer } from '../http/index.js';
import { buildApp } from '../main.js';
import { schedulePulls, type MetricSource } from '../sources/index.js';
import { createReplaySource } from '../sources/replay/index.js';
import { createSimulator } from '../sources/simulator/index.js';
import type { Config } from '../config/index.js';
import { configFromEnv, fail, untilSignal } from './context.js';

function configuredSources(config: Config, now: number): MetricSource[] {
  const sources: MetricSource[] = [];
  const sim = config.sources.simulator;
  if (sim?.enabled) {
    const day = 86_400_000;
    // A live fleet: the scenario starts at midnight UTC two days ago and runs for a month.
    sources.push(createSimulator({ seed: sim.seed, services: sim.services, start: Math.floor(now / day) * day - 2 * day, durationMs: 30 * day }));
  }
  if (config.sources.replay) sources.push(createReplaySource({ root: config.sources.replay.root }));
  return sources;
}

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
        });
        await http.listen({ host: config.http.host, port: config.http.port });
        const sources = configuredSources(config, Date.now());
        if (sources.length === 0) app.log.warn('no metric sources configured: set sources.* in vigil.yaml (see README, Configuration)');

        let stopped = false;
        const tick = async () => {
          for (const s of sources) {
            try {
              await schedulePulls(s, app.queue, app.store, Date.now(), config.worker.pullInterval * 60);
            } catch (err) {
              app.log.error({ source: s.id, err }, 'scheduling failed; will retry next interval');
            }
          }
          const depth = await app.queue.counts('pull');
          app.metrics.queueDepth('pull', depth.waiting);
        };
        await tick();
        const timer = setInterval(() => { if (!stopped) void tick(); }, config.worker.pullInterval);
        const address = http.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
        app.log.info({ url: `http://${config.http.host}:${port}`, sources: sources.map((s) => s.id) }, 'vigil started');

        const signal = await untilSignal();
        stopped = true;
        clearInterval(timer);
        app.log.info({ signal }, 'shutting down');
        await http.close();
        await app.close();
      } catch (err) { fail(err); }
    });
}
