/**
 * `vigil backfill --since 14d`: warms the detectors of every configured
 * source from history, oldest first, through the normal pull jobs marked
 * `warmup` (no incident, no notification for the past). Prints the work and
 * the upstream API calls it will take before starting; `--dry-run` stops
 * there. Points already scored (at or before a series' cursor) are skipped,
 * so a backfill after going live only fills what is missing.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { formatDuration, parseDuration } from '../domain/duration.js';
import { VigilError } from '../domain/errors.js';
import { buildApp, configuredSources, estimateApiCalls } from '../main.js';
import { createLogger } from '../observability/index.js';
import { driveVirtualTime } from '../sources/index.js';
import { configFromEnv, fail } from './context.js';

interface Options {
  since: string;
  chunk: string;
  dryRun?: boolean;
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description('Warm the detectors from history (no incidents or notifications for the past)')
    .requiredOption('--since <d>', 'how far back, e.g. 14d')
    .option('--chunk <d>', 'history per pull job', '6h')
    .option('--dry-run', 'print the plan and API-call estimate, then stop')
    .action(async (o: Options) => {
      try {
        const sinceMs = parseDuration(o.since);
        const chunkMs = parseDuration(o.chunk);
        if (sinceMs === null) throw new VigilError('E_USAGE', `--since ${o.since}: expected a duration such as 14d`);
        if (chunkMs === null || chunkMs < 60_000)
          throw new VigilError('E_USAGE', `--chunk ${o.chunk}: expected a duration of at least 1m`);
        const config = configFromEnv();
        const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
        const app = await buildApp(config, { consume: ['pull'], notifiers: [], log });
        try {
          const now = Date.now();
          const range = { from: now - sinceMs, to: now };
          const sources = configuredSources(config, now, app.store);
          if (sources.length === 0)
            throw new VigilError('E_USAGE', 'no metric sources are configured: add sources.* to vigil.yaml');
          const chunks = Math.ceil(sinceMs / chunkMs);
          process.stderr.write(
            `Backfill ${formatDuration(sinceMs)} in ${chunks} chunks of ${formatDuration(chunkMs)}:\n`,
          );
          for (const s of sources) {
            const queries = await s.queries();
            const calls = estimateApiCalls(s, queries, range, chunkMs);
            process.stderr.write(
              `  ${s.id}: ${queries.length} queries, ${queries.length * chunks} pull jobs, ${calls === null ? 'no metered API calls' : `about ${calls} API calls`}\n`,
            );
          }
          if (o.dryRun) return;
          const bar = process.stderr.isTTY
            ? new SingleBar(
                { format: ' {bar} {percentage}% | {value}/{total} chunks | eta {eta_formatted}' },
                Presets.shades_classic,
              )
            : null;
          bar?.start(chunks, 0);
          let done = 0;
          await driveVirtualTime({
            sources,
            queue: app.queue,
            from: range.from,
            to: range.to,
            tickMs: chunkMs,
            warmup: true,
            afterTick: () => {
              done++;
              if (bar) bar.update(done);
              else process.stderr.write(`  chunk ${done}/${chunks}\n`);
            },
          });
          bar?.stop();
          process.stderr.write(
            `Backfill done: ${await app.store.countAnomalies()} anomalies on record; detectors are warm.\n`,
          );
        } finally {
          await app.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}
