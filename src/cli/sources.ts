/**
 * `vigil sources test`: shows what each configured source returns over a
 * recent window and how its series map to services, so a config can be
 * checked before `vigil start`. Reads only; stores nothing.
 */
import type { Command } from 'commander';
import { parseDuration } from '../domain/duration.js';
import { VigilError, wrapError } from '../domain/errors.js';
import { configuredSources } from '../main.js';
import { compileServiceRules } from '../sources/index.js';
import { configFromEnv, fail } from './context.js';

export function register(program: Command): void {
  const sources = program.command('sources').description('Inspect the configured metric sources');
  sources
    .command('test')
    .description('Fetch a recent window from every configured source and show series, services and point counts')
    .option('--window <d>', 'how far back to fetch', '1h')
    .option('--json', 'print one JSON object as the last line')
    .action(async (o: { window: string; json?: boolean }) => {
      try {
        const windowMs = parseDuration(o.window);
        if (windowMs === null)
          throw new VigilError('E_USAGE', `--window ${o.window}: expected a duration such as 15m or 2h`);
        const config = configFromEnv();
        const now = Date.now();
        const list = configuredSources(config, now);
        const mapService = compileServiceRules(config.serviceRules);
        if (list.length === 0)
          throw new VigilError(
            'E_USAGE',
            'no metric sources are configured: add sources.* to vigil.yaml (see docs/configuration.md)',
          );
        const report: Array<{
          source: string;
          query: string;
          ok: boolean;
          error?: string;
          series: Array<{ key: string; service: string; points: number; nonFinite: number }>;
        }> = [];
        for (const source of list) {
          let queries;
          try {
            queries = await source.queries();
          } catch (err) {
            report.push({
              source: source.id,
              query: '(listing queries)',
              ok: false,
              error: wrapError(err).message,
              series: [],
            });
            continue;
          }
          for (const q of queries) {
            try {
              const series = await source.fetch(q, { from: now - windowMs, to: now });
              report.push({
                source: source.id,
                query: q.id,
                ok: true,
                series: series.map((s) => ({
                  key: s.ref.key,
                  service: mapService(s.ref).service,
                  points: s.points.length,
                  nonFinite: s.points.filter((p) => !Number.isFinite(p.v)).length,
                })),
              });
            } catch (err) {
              report.push({ source: source.id, query: q.id, ok: false, error: wrapError(err).message, series: [] });
            }
          }
        }
        if (o.json) {
          process.stdout.write(JSON.stringify({ window: o.window, queries: report }) + '\n');
        } else {
          for (const r of report) {
            process.stdout.write(
              `${r.ok ? '✔' : '✘'} ${r.source} ${r.query}${r.ok ? `: ${r.series.length} series` : `: ${r.error}`}\n`,
            );
            for (const s of r.series)
              process.stdout.write(
                `    ${s.key} -> service ${s.service}, ${s.points} points${s.nonFinite ? ` (${s.nonFinite} non-finite)` : ''}\n`,
              );
          }
        }
        if (report.some((r) => !r.ok)) process.exitCode = 1;
      } catch (err) {
        fail(err);
      }
    });
}
