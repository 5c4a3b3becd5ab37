/**
 * The `vigil` command line. Each command lives in its own file and exports
 * `register(program)`; this file only assembles them and owns the one
 * top-level error handler.
 */
import { Command } from 'commander';

const program = new Command('vigil')
  .description('Anomaly detection and incident bot for metrics, deploys and Slack')
  .showHelpAfterError();

const commands: Array<{ register(program: Command): void }> = [];
for (const c of commands) c.register(program);

await program.parseAsync(process.argv);
