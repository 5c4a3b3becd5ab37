/**
 * `vigil backtest <dir> [--json]`: see src/backtest. Prints incidents with
 * their suspects and every deploy's verdict; with --json the last stdout line
 * is one JSON object. Bad rows are reported on stderr and skipped.
 */
import type { Command } from 'commander';
import { runBacktest, type BacktestResult } from '../backtest/index.js';
import { createLogger } from '../observability/index.js';
import { configFromEnv, fail } from './context.js';

export function register(program: Command): void {
  program
    .command('backtest <dir>')
    .description('Run <dir>/metrics/<service>/<metric>.csv and <dir>/deployments.json through the real pipeline')
    .option('--json', 'print one JSON object as the last line')
    .action(async (dir: string, o: { json?: boolean }) => {
      try {
        const config = configFromEnv();
        const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
        let shown = -1;
        const result = await runBacktest({
          dir,
          config,
          log,
          onIssue: (i) => process.stderr.write(`skipped ${i.file}${i.line ? `:${i.line}` : ''}: ${i.reason}\n`),
          onProgress: (done, total) => {
            const pct = Math.floor((done / total) * 10) * 10;
            if (pct !== shown && process.stderr.isTTY) {
              shown = pct;
              process.stderr.write(`backtest ${pct}%\r`);
            }
          },
        });
        process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : table(result));
      } catch (err) {
        fail(err);
      }
    });
}

function table(r: BacktestResult): string {
  const lines = [`${r.incidents.length} incidents, ${r.verdicts.length} deploy verdicts in ${r.seconds} s`, ''];
  for (const i of r.incidents) {
    lines.push(
      `${i.openedAt} ${i.services.join('+')} (${i.series.length} series) ${i.resolvedAt ? `resolved ${i.resolvedAt}` : 'open'}`,
    );
    lines.push(
      i.suspect
        ? `    suspect ${i.suspect.deploymentId} (${i.suspect.confidence.toFixed(2)}): ${i.suspect.reason}`
        : '    no deploy suspected',
    );
  }
  if (r.verdicts.length > 0) lines.push('', 'Deploy verdicts:');
  for (const v of r.verdicts) lines.push(`  ${v.deploymentId}: ${v.summary}`);
  return lines.join('\n') + '\n';
}
