/**
 * The `vigil` command line. Each command lives in its own file and exports
 * `register(program)`; this file only assembles them and owns the one
 * top-level error handler.
 */
import { Command } from 'commander';
import { benchDetectors } from '../detect/index.js';
import * as bench from './bench.js';
import * as demo from './demo.js';
import * as start from './start.js';
import * as train from './train.js';
import * as worker from './worker.js';

const program = new Command('vigil')
  .description('Anomaly detection and incident bot for metrics, deploys and Slack')
  .showHelpAfterError();

for (const c of [demo, start, worker, train]) c.register(program);
bench.register(program, { detectors: () => benchDetectors() });

await program.parseAsync(process.argv);
