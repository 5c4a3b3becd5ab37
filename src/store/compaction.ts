/**
 * Periodic `Store.compact()` for long-running processes on embedded PGlite
 * (`vigil start`, `vigil worker`), which has no autovacuum and no
 * checkpointer: without it dead detector-state rows and WAL grow in memory
 * for the whole run (issue 16, bounded memory).
 *
 * Contract:
 * - One compaction `everyMs` of wall time after the previous one *ended*
 *   (a chain of timeouts, not an interval), so it never runs concurrently
 *   with itself, however slow it is.
 * - It runs while jobs run. That is safe on PGlite 0.5: its `exec()` and
 *   `query()` take the same lock as `transaction()`, so the VACUUM starts only
 *   between other callers' statements and transactions, never inside one
 *   (test/store/compaction.test.ts holds PGlite to that). Jobs wait for it.
 * - It never throws into the caller. A failure is reported once, with its
 *   error, when compaction starts failing (`onFailure`), and compaction is
 *   tried again next period; `onRecovered` says how many failed in between.
 * - `stop()` cancels the next run and waits for one in flight, so the store
 *   can be closed right after.
 * Effects: the timer (unref'd: it never keeps Node alive by itself).
 */
import type { Store } from './types.js';

export interface CompactionTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface CompactionOptions {
  readonly everyMs: number;
  /** The first failure after a success (or after the start). */
  readonly onFailure: (err: unknown) => void;
  /** The first success after failures, with how many failed. */
  readonly onRecovered?: (failures: number) => void;
  /** Tests inject these; default setTimeout / clearTimeout. */
  readonly timers?: CompactionTimers;
}

export interface Compaction {
  stop(): Promise<void>;
}

const realTimers: CompactionTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function startCompaction(store: Pick<Store, 'compact'>, o: CompactionOptions): Compaction {
  const timers = o.timers ?? realTimers;
  let stopped = false;
  let failures = 0;
  let handle: unknown = null;
  let running: Promise<void> | null = null;

  const run = async (): Promise<void> => {
    try {
      await store.compact();
      if (failures > 0) o.onRecovered?.(failures);
      failures = 0;
    } catch (err) {
      if (failures === 0) o.onFailure(err);
      failures++;
    }
  };
  const schedule = (): void => {
    handle = timers.set(() => {
      handle = null;
      // A reporting callback that throws must not end the chain.
      running = run()
        .catch(() => undefined)
        .finally(() => {
          running = null;
          if (!stopped) schedule();
        });
    }, o.everyMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (handle !== null) timers.clear(handle);
      handle = null;
      await running;
    },
  };
}
