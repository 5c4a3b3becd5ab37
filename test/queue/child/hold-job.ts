/**
 * Child process for test/queue/bullmq-stalled.test.ts: consumes `notify`
 * jobs under the prefix argv[3] on the Redis at argv[2] with a 1 s job lock,
 * prints "started <jobId>" when a job starts and never finishes it, so that
 * killing this process with SIGKILL leaves the job stalled. Run with
 * `node --import tsx`.
 */
import { openBullQueue } from '../../../src/queue/bullmq/index.js';

const [redisUrl, prefix] = process.argv.slice(2);
if (!redisUrl || !prefix) throw new Error('usage: hold-job.ts <redisUrl> <prefix>');
// Short stall checks here too: the last checker's interval gates everyone's next check.
const queue = await openBullQueue({ redisUrl, prefix, lockDurationMs: 1000, stalledIntervalMs: 200 });
queue.process('notify', (_payload, ctx) => {
  process.stdout.write(`started ${ctx.id}\n`);
  return new Promise<void>(() => {});
});
