/**
 * `vigil worker`: consumes pull jobs from the shared queue until SIGINT/SIGTERM,
 * and serves its own GET /metrics, /healthz and /readyz on http.host at
 * worker.metricsPort (VIGIL_WORKER_METRICS_PORT; 0: no listener), so its
 * counters (points scored, bad input, stalled jobs) can be scraped
 * (main.ts startWorker assembles it).
 * Failure modes: with REDIS_URL but no DATABASE_URL it refuses to start
 * (E_CONFIG, exit 2) before opening anything: its state would go to its own
 * embedded store, which `vigil start` never sees (issue 16). A metrics port
 * already in use stops it with E_CONFIG naming the key and the fix, after
 * closing what it opened.
 */
import type { Command } from 'commander';
import { startWorker } from '../main.js';
import { configFromEnv, fail, untilSignal } from './context.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'Run a worker alone: fetch and score metrics from the shared queue (needs REDIS_URL and DATABASE_URL to share work); serves /metrics on worker.metricsPort',
    )
    .action(async () => {
      try {
        const worker = await startWorker(configFromEnv());
        const { app } = worker;
        if (app.queue.backend === 'memory')
          app.log.warn('REDIS_URL is not set: this worker only sees jobs from its own process');
        app.log.info(
          { metrics: worker.metricsUrl ? `${worker.metricsUrl}/metrics` : 'off' },
          'worker started; Ctrl-C to stop',
        );
        const signal = await untilSignal();
        app.log.info({ signal }, 'stopping: finishing running jobs');
        await worker.stop();
      } catch (err) {
        fail(err);
      }
    });
}
