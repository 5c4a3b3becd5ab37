/**
 * A job whose worker is killed with SIGKILL mid-job is reported stalled
 * (issue 16), once, with the caller's job id, and then runs elsewhere.
 * Real Redis and a real child process; in CI it must run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { openBullQueue, type BullQueue } from '../../src/queue/bullmq/index.js';
import { describeWithRedis, testRedisUrl } from '../support/services.js';
import { deferred } from './helpers.js';

const CHILD = resolve('test/queue/child/hold-job.ts');

function startHolder(prefix: string): { child: ChildProcess; started: Promise<string> } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, testRedisUrl, prefix], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const started = new Promise<string>((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /started (\S+)/.exec(out);
      if (m?.[1]) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`holder exited (${code}) before starting the job: ${err}`)));
  });
  return { child, started };
}

describeWithRedis('bullmq stalled jobs', () => {
  const prefix = `vigil-test-${randomUUID().slice(0, 8)}-stall`;
  let child: ChildProcess | null = null;
  let queue: BullQueue | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await queue?.obliterate();
    await queue?.close();
  });

  it('reports a job whose worker was killed with SIGKILL, once, by its id, and runs it again', async () => {
    queue = await openBullQueue({
      redisUrl: testRedisUrl,
      prefix,
      stalledIntervalMs: 200,
      backoffMs: 5,
      idlePollMs: 10,
    });
    await queue.enqueue(
      'notify',
      { incidentId: 'inc-stall', event: 'opened', notifier: 'console' },
      { jobId: 'stall:me' },
    );
    const holder = startHolder(prefix);
    child = holder.child;
    expect(await holder.started).toBe('stall:me');
    await new Promise<void>((res) => {
      holder.child.once('exit', () => res());
      holder.child.kill('SIGKILL');
    });

    const stalled: Array<[string, string]> = [];
    const firstStall = deferred();
    const reran = deferred<string>();
    queue.onStalled((name, jobId) => {
      stalled.push([name, jobId]);
      firstStall.resolve();
    });
    queue.process('notify', async (p) => reran.resolve(p.incidentId));
    await firstStall.promise;
    expect(await reran.promise).toBe('inc-stall');
    await queue.whenIdle();
    expect(stalled).toEqual([['notify', 'stall:me']]);
  });
});
