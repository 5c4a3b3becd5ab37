/**
 * The `vigil` command line. Each command lives in its own file and exports
 * `register(program)`; this file only assembles them and owns the one
 * top-level error handler.
 */
import { Command } from 'commander';
import { benchDetectors } from '../bench/index.js';
import * as backfill from './backfill.js';
import * as backtest from './backtest.js';
import * as bench from './bench.js';
import * as demo from './demo.js';
import * as deploy from './deploy.js';
import * as playbooks from './playbooks.js';
import * as sources from './sources.js';
import * as start from './start.js';
import * as train from './train.js';
import * as worker from './worker.js';

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command('vigil')
  .description('Anomaly detection and incident bot for metrics, deploys and Slack')
  .showHelpAfterError();

for (const c of [demo, start, worker, backfill, backtest, sources, deploy, train]) c.register(program);
playbooks.register(program);
bench.register(program, { detectors: () => benchDetectors() });

await program.parseAsync(process.argv);
