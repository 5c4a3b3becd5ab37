/**
 * `vigil deploy record --service S --version V [--environment E] [--actor A] [--url U]`:
 * records one finished deployment (status succeeded, started and finished now, source
 * `cli`) straight into the configured store, for pipelines that can run
 * vigil but not reach its HTTP API. Prints the stored id on stdout.
 * Failure modes: a bad option is refused with the option named (E_USAGE,
 * exit 1) before the store is opened; store errors exit 1 via `fail`.
 */
import type { Command } from 'commander';
import { deploymentBodySchema, deploymentFromBody, describeIssue } from '../changes/index.js';
import { VigilError } from '../domain/errors.js';
import { buildApp } from '../main.js';
import { createLogger } from '../observability/index.js';
import { configFromEnv, fail } from './context.js';

interface RecordOptions {
  service: string;
  version: string;
  environment?: string;
  actor?: string;
  url?: string;
}

export function register(program: Command): void {
  const deploy = program.command('deploy').description('Record change events (deployments) for incident correlation');
  deploy
    .command('record')
    .description('Record a deployment that just finished')
    .requiredOption('--service <s>', 'the deployed service')
    .requiredOption('--version <v>', 'the version deployed (tag or commit)')
    .option('--environment <e>', 'target environment', 'production')
    .option('--actor <a>', 'who deployed')
    .option('--url <u>', 'link to the pipeline run or release')
    .action(async (o: RecordOptions) => {
      try {
        const now = Date.now();
        const parsed = deploymentBodySchema.safeParse({
          startedAt: now,
          finishedAt: now,
          service: o.service,
          version: o.version,
          environment: o.environment,
          actor: o.actor,
          url: o.url,
        });
        if (!parsed.success) throw new VigilError('E_USAGE', `--${describeIssue(parsed.error)}`);
        const deployment = deploymentFromBody(parsed.data, 'cli', now);
        const config = configFromEnv();
        const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
        const app = await buildApp(config, { consume: [], notifiers: [], log });
        try {
          await app.store.upsertDeployment(deployment);
        } finally {
          await app.close();
        }
        process.stdout.write(`${deployment.id}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
