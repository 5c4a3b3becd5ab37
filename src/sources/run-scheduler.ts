/**
 * The live scheduler of `vigil start`: each source on its own timer, so a
 * slow or failing source never delays the others. A source whose query
 * listing fails is retried with backoff and its outage reported once (a
 * store outage is the store's, reported by its own outage log).
 * `stop()` clears the timers and waits for a tick in progress.
 */
import { VigilError } from '../domain/errors.js';
import type { Logger } from '../observability/index.js';
import type { Queue } from '../queue/types.js';
import type { CursorStore } from '../store/types.js';
import { SourceHealth } from './health.js';
import { schedulePulls } from './scheduler.js';
import type { MetricSource } from './types.js';

export interface ScheduledSource {
  readonly source: MetricSource;
  readonly intervalMs: number;
  /** How far back a query with no cursor starts. */
  readonly initialLookbackMs: number;
}

export function startScheduler(o: {
  sources: readonly ScheduledSource[];
  queue: Queue;
  cursors: CursorStore;
  log: Logger;
  now?: () => number;
}): { stop(): Promise<void> } {
  const now = o.now ?? Date.now;
  const health = new SourceHealth();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const tick = async (s: ScheduledSource): Promise<void> => {
    const id = s.source.id;
    try {
      await schedulePulls(s.source, o.queue, o.cursors, now(), s.initialLookbackMs);
      const change = health.succeeded(id);
      if (change)
        o.log.info(
          { source: id, failures: change.failures, downSince: new Date(change.since).toISOString() },
          `source ${id} recovered`,
        );
    } catch (err) {
      // The store being down (cursors) is the store's outage, logged once by its outage log; the source is fine.
      if (err instanceof VigilError && err.code === 'E_STORE_UNAVAILABLE') {
        o.log.debug({ source: id, err }, `source ${id} not scheduled: the store is unavailable`);
        return;
      }
      const change = health.failed(id, now());
      if (change)
        o.log.error({ source: id, err }, `source ${id} is failing; retrying with backoff, other sources go on`);
      else o.log.debug({ source: id, failures: health.failures(id), err }, `source ${id} still failing`);
    }
  };
  const schedule = (s: ScheduledSource, delay: number) => {
    if (stopped) return;
    timers.set(
      s.source.id,
      setTimeout(() => {
        const p = tick(s).finally(() => {
          running.delete(p);
          schedule(s, health.nextDelay(s.source.id, s.intervalMs));
        });
        running.add(p);
      }, delay),
    );
  };
  for (const s of o.sources) schedule(s, 0);

  return {
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.all([...running]);
    },
  };
}
