/**
 * `vigil worker`: consumes pull jobs from the shared queue until SIGINT/SIGTERM.
 * Failure modes: with REDIS_URL but no DATABASE_URL it refuses to start
 * (E_CONFIG, exit 2) before opening anything: its state would go to its own
 * embedded store, which `vigil start` never sees (issue 16).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config/index.js';
import { buildApp } from '../main.js';
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

export function register(program: Command): void {
  program
    .command('worker')
    .description('Run a worker alone: fetch and score metrics from the shared queue (needs REDIS_URL and DATABASE_URL to share work)')
    .action(async () => {
      try {
        const config = configFromEnv();
        checkWorkerConfig(config);
        const app = await buildApp(config, { consume: ['pull'] });
        if (app.queue.backend === 'memory') app.log.warn('REDIS_URL is not set: this worker only sees jobs from its own process');
        app.log.info('worker started; Ctrl-C to stop');
        const signal = await untilSignal();
        app.log.info({ signal }, 'stopping: finishing running jobs');
        await app.close();
      } catch (err) { fail(err); }
    });
}
