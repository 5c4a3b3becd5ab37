/**
 * Behaviour every Queue implementation must show (DESIGN.md: one
 * conformance suite per port). `makeQueue` returns a fresh, isolated queue
 * per call; the suite closes each one after its test. Implementations should
 * use a short retry backoff so retry tests stay fast.
 * No test measures time: they wait on handler events and whenIdle().
 */
import { VigilError, type VigilErrorCode } from '../../src/domain/errors.js';
import type { JobContext, JobName, JobPayloads, Queue } from '../../src/queue/types.js';
import { deferred, latch } from './helpers.js';

/** Guards against a hang (a broken whenIdle) without asserting any duration. */
const HANG_GUARD_MS = 20_000;

const notify = (n: number): JobPayloads['notify'] => ({ incidentId: `inc-${n}`, event: 'opened', notifier: 'console' });

export function queueConformance(name: string, makeQueue: () => Promise<Queue>): void {
  describe(`Queue conformance: ${name}`, () => {
    let opened: Queue[] = [];
    const open = async (): Promise<Queue> => {
      const q = await makeQueue();
      opened.push(q);
      return q;
    };
    afterEach(async () => {
      await Promise.all(opened.map((q) => q.close()));
      opened = [];
    });

    it(
      'delivers the payload unchanged, with the caller id and attempt 1',
      async () => {
        const q = await open();
        const payload: JobPayloads['pull'] = {
          query: {
            sourceId: 'sim',
            id: 'cpu',
            params: { metric: 'cpu', labels: { az: 'a' }, step: 1.5, list: [1, 'two'], none: null },
          },
          range: { from: 1_700_000_000_000, to: 1_700_000_060_000 },
        };
        const got = deferred<{ payload: JobPayloads['pull']; ctx: JobContext }>();
        q.process('pull', async (p, ctx) => got.resolve({ payload: p, ctx }));
        // ':' and digits-only ids are valid for callers whatever the backend needs.
        await q.enqueue('pull', payload, { jobId: 'pull:sim:cpu:1700000000000' });
        const { payload: seen, ctx } = await got.promise;
        expect(seen).toEqual(payload);
        expect(ctx).toEqual({ id: 'pull:sim:cpu:1700000000000', attempt: 1 });
        await q.whenIdle();
      },
      HANG_GUARD_MS,
    );

    it(
      'accepts a digits-only jobId',
      async () => {
        const q = await open();
        const got = deferred<string>();
        q.process('notify', async (_p, ctx) => got.resolve(ctx.id));
        await q.enqueue('notify', notify(1), { jobId: '42' });
        expect(await got.promise).toBe('42');
      },
      HANG_GUARD_MS,
    );

    it(
      'keeps jobs enqueued before process() and runs them in FIFO order with concurrency 1',
      async () => {
        const q = await open();
        for (let i = 0; i < 10; i++) await q.enqueue('notify', notify(i));
        const seen: string[] = [];
        q.process('notify', async (p) => {
          seen.push(p.incidentId);
        });
        await q.whenIdle();
        expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `inc-${i}`));
      },
      HANG_GUARD_MS,
    );

    it(
      'runs up to `concurrency` handlers of one name at the same time',
      async () => {
        const q = await open();
        const three = latch(3);
        const release = deferred();
        let running = 0;
        let maxRunning = 0;
        q.process(
          'notify',
          async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            three.hit();
            await release.promise;
            running--;
          },
          { concurrency: 3 },
        );
        for (let i = 0; i < 6; i++) await q.enqueue('notify', notify(i));
        // Only reachable if three handlers overlap; with concurrency 1 this would hang.
        await three.reached;
        expect(running).toBe(3);
        release.resolve();
        await q.whenIdle();
        expect(maxRunning).toBe(3);
        expect((await q.counts('notify')).completed).toBe(6);
      },
      HANG_GUARD_MS,
    );

    it(
      'ignores a second enqueue with the same jobId while the first is waiting, not after it finished',
      async () => {
        const q = await open();
        for (let i = 0; i < 3; i++) await q.enqueue('notify', notify(i), { jobId: 'inc-1:opened' });
        expect((await q.counts('notify')).waiting).toBe(1);
        const seen: string[] = [];
        q.process('notify', async (p, ctx) => {
          seen.push(`${ctx.id}/${p.incidentId}`);
        });
        await q.whenIdle();
        expect(seen).toEqual(['inc-1:opened/inc-0']);
        await q.enqueue('notify', notify(9), { jobId: 'inc-1:opened' });
        await q.whenIdle();
        expect(seen).toEqual(['inc-1:opened/inc-0', 'inc-1:opened/inc-9']);
      },
      HANG_GUARD_MS,
    );

    it(
      'ignores a second enqueue with the same jobId while the first is running',
      async () => {
        const q = await open();
        const started = deferred();
        const release = deferred();
        let calls = 0;
        q.process('notify', async () => {
          calls++;
          started.resolve();
          await release.promise;
        });
        await q.enqueue('notify', notify(1), { jobId: 'same' });
        await started.promise;
        await q.enqueue('notify', notify(2), { jobId: 'same' });
        release.resolve();
        await q.whenIdle();
        expect(calls).toBe(1);
      },
      HANG_GUARD_MS,
    );

    it(
      'retries a failed job with increasing attempt numbers until it succeeds',
      async () => {
        const q = await open();
        const failures: string[] = [];
        q.onFailed((_n, id) => failures.push(id));
        const attempts: number[] = [];
        q.process('notify', async (_p, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt === 1) throw new Error('flaky network');
        });
        await q.enqueue('notify', notify(1), { jobId: 'retry-me', attempts: 3 });
        await q.whenIdle();
        expect(attempts).toEqual([1, 2]);
        expect(failures).toEqual([]);
        expect(await q.counts('notify')).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });
      },
      HANG_GUARD_MS,
    );

    it(
      'reports a job that fails every attempt once, after the last attempt',
      async () => {
        const q = await open();
        const failures: { name: JobName; id: string; error: Error }[] = [];
        q.onFailed((n, id, error) => failures.push({ name: n, id, error }));
        const attempts: number[] = [];
        q.process('notify', async (_p, ctx) => {
          attempts.push(ctx.attempt);
          throw new VigilError('E_SLACK_DOWN' as VigilErrorCode, 'slack answered 503', true);
        });
        await q.enqueue('notify', notify(1), { jobId: 'always-fails', attempts: 2 });
        await q.whenIdle();
        expect(attempts).toEqual([1, 2]);
        expect(failures).toHaveLength(1);
        expect(failures[0]).toMatchObject({ name: 'notify', id: 'always-fails' });
        expect(failures[0]?.error.message).toBe('slack answered 503');
        expect(await q.counts('notify')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1 });
      },
      HANG_GUARD_MS,
    );

    it(
      'fails a job at once, without retry, on a non-retryable VigilError and tells onFailed',
      async () => {
        const q = await open();
        const failed = deferred<{ name: JobName; id: string; error: Error }>();
        q.onFailed((n, id, error) => failed.resolve({ name: n, id, error }));
        let calls = 0;
        q.process('remediate', async () => {
          calls++;
          throw new VigilError('E_PLAYBOOK_INVALID' as VigilErrorCode, 'playbook "restart" has no step 7', false);
        });
        await q.enqueue(
          'remediate',
          { runId: 'run-7', incidentId: 'inc-1', playbook: 'restart' },
          { jobId: 'r1', attempts: 5 },
        );
        const { name: jobName, id, error } = await failed.promise;
        await q.whenIdle();
        expect(calls).toBe(1);
        expect(jobName).toBe('remediate');
        expect(id).toBe('r1');
        expect(error).toBeInstanceOf(VigilError);
        expect(error).toMatchObject({ code: 'E_PLAYBOOK_INVALID', message: 'playbook "restart" has no step 7' });
        expect(await q.counts('remediate')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1 });
      },
      HANG_GUARD_MS,
    );

    it(
      'whenIdle waits for jobs that handlers enqueue, across job names',
      async () => {
        const q = await open();
        const done: string[] = [];
        q.process('pull', async (p) => {
          await new Promise((r) => setImmediate(r));
          await q.enqueue('notify', { incidentId: p.query.id, event: 'opened', notifier: 'console' });
        });
        q.process('notify', async (p) => {
          await new Promise((r) => setImmediate(r));
          await q.enqueue('remediate', { runId: `run-${p.incidentId}`, incidentId: p.incidentId, playbook: 'restart' });
        });
        q.process(
          'remediate',
          async (p) => {
            done.push(p.incidentId);
          },
          { concurrency: 2 },
        );
        const range = { from: 0, to: 60_000 };
        for (let i = 0; i < 5; i++)
          await q.enqueue('pull', { query: { sourceId: 'sim', id: `q${i}`, params: {} }, range });
        await q.whenIdle();
        expect(done.sort()).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
      },
      HANG_GUARD_MS,
    );

    it(
      'whenIdle resolves at once when nothing was enqueued',
      async () => {
        const q = await open();
        await q.whenIdle();
      },
      HANG_GUARD_MS,
    );

    it(
      'counts waiting, active, completed and failed jobs per name',
      async () => {
        const q = await open();
        expect(await q.counts('notify')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
        await q.enqueue('notify', notify(1));
        await q.enqueue('notify', notify(2));
        expect(await q.counts('notify')).toEqual({ waiting: 2, active: 0, completed: 0, failed: 0 });
        const started = deferred();
        const release = deferred();
        q.process('notify', async () => {
          started.resolve();
          await release.promise;
        });
        await started.promise;
        expect(await q.counts('notify')).toEqual({ waiting: 1, active: 1, completed: 0, failed: 0 });
        expect(await q.counts('pull')).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0 });
        release.resolve();
        await q.whenIdle();
        expect(await q.counts('notify')).toEqual({ waiting: 0, active: 0, completed: 2, failed: 0 });
      },
      HANG_GUARD_MS,
    );

    it(
      'refuses a second process() for the same name and bad options',
      async () => {
        const q = await open();
        q.process('notify', async () => {});
        expect(() => q.process('notify', async () => {})).toThrow(expect.objectContaining({ code: 'E_QUEUE_CONFIG' }));
        expect(() => q.process('pull', async () => {}, { concurrency: 0 })).toThrow(
          expect.objectContaining({ code: 'E_QUEUE_CONFIG' }),
        );
        await expect(q.enqueue('notify', notify(1), { attempts: 0 })).rejects.toMatchObject({ code: 'E_QUEUE_CONFIG' });
        await expect(q.enqueue('notify', notify(1), { jobId: '' })).rejects.toMatchObject({ code: 'E_QUEUE_CONFIG' });
      },
      HANG_GUARD_MS,
    );

    it(
      'after close(), rejects enqueue and whenIdle with E_QUEUE_CLOSED and ends pending whenIdle',
      async () => {
        const q = await open();
        await q.enqueue('pull', { query: { sourceId: 'sim', id: 'q', params: {} }, range: { from: 0, to: 1 } });
        // Nobody processes 'pull' here, so this whenIdle can only end through close().
        const idle = expect(q.whenIdle()).rejects.toMatchObject({ code: 'E_QUEUE_CLOSED' });
        await q.close();
        await idle;
        await expect(q.enqueue('notify', notify(1))).rejects.toMatchObject({ code: 'E_QUEUE_CLOSED' });
        await expect(q.whenIdle()).rejects.toMatchObject({ code: 'E_QUEUE_CLOSED' });
        expect(() => q.process('notify', async () => {})).toThrow(expect.objectContaining({ code: 'E_QUEUE_CLOSED' }));
      },
      HANG_GUARD_MS,
    );

    it(
      'close() lets a running handler finish',
      async () => {
        const q = await open();
        const started = deferred();
        const release = deferred();
        let finished = false;
        q.process('notify', async () => {
          started.resolve();
          await release.promise;
          finished = true;
        });
        await q.enqueue('notify', notify(1));
        await started.promise;
        const closed = q.close();
        release.resolve();
        await closed;
        expect(finished).toBe(true);
      },
      HANG_GUARD_MS,
    );
  });
}
