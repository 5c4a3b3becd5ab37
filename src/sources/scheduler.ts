/**
 * Turns time into pull jobs. Each query's window starts at its cursor (the
 * end of the last range a worker finished) and ends at `now`; at most one
 * pull job per query is waiting or running (jobId), so a slow source never
 * piles up work and ranges of one query never run out of order.
 */
import type { Queue } from '../queue/types.js';
import type { CursorStore } from '../store/types.js';
import type { MetricSource, SourceQuery } from './types.js';

export const queryCursorKey = (q: SourceQuery): string => `query:${q.id}`;
export const pullJobId = (q: SourceQuery): string => `pull_${q.sourceId}_${q.id}`.replace(/[^\w.-]/g, '_');

/** Enqueues one pull job per query of `source` for [cursor, now). Returns how many. */
export async function schedulePulls(
  source: MetricSource,
  queue: Queue,
  cursors: CursorStore,
  now: number,
  initialLookbackMs: number,
): Promise<number> {
  let n = 0;
  for (const query of await source.queries()) {
    const from = (await cursors.getCursor(source.id, queryCursorKey(query))) ?? now - initialLookbackMs;
    if (from >= now) continue;
    await queue.enqueue('pull', { query, range: { from, to: now } }, { jobId: pullJobId(query) });
    n++;
  }
  return n;
}
