/**
 * Counts unfinished jobs of every queue under one prefix, as one atomic
 * snapshot across all job names and all processes.
 * Why not one queue.getJobCounts per name: those are separate round trips,
 * so a handler of `pull` can enqueue `notify` and finish between the read of
 * `notify` and the read of `pull`, and both would look empty. A MULTI reads
 * every list at one instant; a handler enqueues its follow-up before its own
 * job completes, so at any instant one of them is counted.
 * States are the ones getJobCounts calls waiting, active, delayed,
 * prioritized and waiting-children, plus `paused`.
 * Effects: one read-only MULTI. Failure modes: Redis errors reject.
 */
import type { Redis } from 'ioredis';
import type { Queue as BullQueue } from 'bullmq';

const LISTS = ['wait', 'paused', 'active'] as const;
const SORTED_SETS = ['delayed', 'prioritized', 'waiting-children'] as const;

export async function countPending(client: Redis, queues: readonly BullQueue[]): Promise<number> {
  const multi = client.multi();
  for (const q of queues) {
    for (const key of LISTS) multi.llen(q.toKey(key));
    for (const key of SORTED_SETS) multi.zcard(q.toKey(key));
  }
  const replies = await multi.exec();
  // exec() is null only when a WATCH aborts the transaction; none is set here.
  if (!replies) throw new Error('Redis aborted the job-count transaction');
  let total = 0;
  for (const [err, n] of replies) {
    if (err) throw err;
    total += Number(n);
  }
  return total;
}
