/** `vigil worker`: consumes pull jobs from the shared queue until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { buildApp } from '../main.js';
import { configFromEnv, fail, untilSignal } from './context.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('Run a worker alone: fetch and score metrics from the shared queue (needs REDIS_URL to share work)')
    .action(async () => {
      try {
        const app = await buildApp(configFromEnv(), { consume: ['pull'] });
        if (app.queue.backend === 'memory') app.log.warn('REDIS_URL is not set: this worker only sees jobs from its own process');
        app.log.info('worker started; Ctrl-C to stop');
        const signal = await untilSignal();
        app.log.info({ signal }, 'stopping: finishing running jobs');
        await app.close();
      } catch (err) { fail(err); }
    });
}
