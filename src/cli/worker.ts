/**
 * `vigil worker`: consumes pull jobs from the shared queue until SIGINT/SIGTERM,
 * and serves its own GET /metrics, /healthz and /readyz on http.host at
 * worker.metricsPort (VIGIL_WORKER_METRICS_PORT; 0: no listener), so its
 * counters (points scored, bad input, stalled jobs) can be scraped.
 * Failure modes: with REDIS_URL but no DATABASE_URL it refuses to start
 * (E_CONFIG, exit 2) before opening anything: its state would go to its own
 * embedded store, which `vigil start` never sees (issue 16). A metrics port
 * already in use stops it with E_CONFIG naming the key and the fix, after
 * closing what it opened.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config/index.js';
import { createHttpServer } from '../http/index.js';
import { buildApp, type App } from '../main.js';
import type { Logger } from '../observability/index.js';
import { configFromEnv, fail, untilSignal } from './context.js';

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

export interface Worker {
  readonly app: App;
  /** Base URL of the metrics listener; null when worker.metricsPort is 0. */
  readonly metricsUrl: string | null;
  /** Closes the listener, lets running jobs finish, then closes queue and store. */
  stop(): Promise<void>;
}

/** Starts what `vigil worker` runs and resolves once it consumes jobs and its listener listens. */
export async function startWorker(config: Config, o: { readonly log?: Logger } = {}): Promise<Worker> {
  checkWorkerConfig(config);
  const app = await buildApp(config, { consume: ['pull'], ...(o.log ? { log: o.log } : {}) });
  const port = config.worker.metricsPort;
  if (port === 0) return { app, metricsUrl: null, stop: () => app.close() };
  // The one HTTP server with no routes of its own: health, readiness and the process's metrics registry only.
  let server: Awaited<ReturnType<typeof createHttpServer>> | null = null;
  try {
    server = await createHttpServer({ log: app.log, metrics: app.metrics, checks: [{ name: 'store', check: () => app.store.ping() }] });
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

export function register(program: Command): void {
  program
    .command('worker')
    .description('Run a worker alone: fetch and score metrics from the shared queue (needs REDIS_URL and DATABASE_URL to share work); serves /metrics on worker.metricsPort')
    .action(async () => {
      try {
        const worker = await startWorker(configFromEnv());
        const { app } = worker;
        if (app.queue.backend === 'memory') app.log.warn('REDIS_URL is not set: this worker only sees jobs from its own process');
        app.log.info({ metrics: worker.metricsUrl ? `${worker.metricsUrl}/metrics` : 'off' }, 'worker started; Ctrl-C to stop');
        const signal = await untilSignal();
        app.log.info({ signal }, 'stopping: finishing running jobs');
        await worker.stop();
      } catch (err) { fail(err); }
    });
}
