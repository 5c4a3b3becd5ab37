/**
 * `vigil start`: the long-lived service — HTTP server, scheduler, pull and
 * notify workers and the Slack bot in one process (main.ts startService
 * assembles it). The bot is served at POST /slack/events (HTTP mode,
 * signing secret) or connects out (Socket Mode, app-level token).
 * SIGINT/SIGTERM stop the scheduler, close the HTTP server, stop the bot,
 * let running jobs finish, then close queue and store.
 * Failure modes: a ConfigError before anything opens when the Slack keys do
 * not fit together (docs/slack.md).
 */
import type { Command } from 'commander';
import { startService } from '../main.js';
import { configFromEnv, fail, untilSignal } from './context.js';

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
      } catch (err) {
        fail(err);
      }
    });
}
