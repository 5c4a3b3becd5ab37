/**
 * One log line when a dependency goes down and one when it is back, however
 * many operations fail in between: a 20 s database outage used to log one
 * error per series (thousands of lines) and nothing on recovery.
 * Contract: `failed` logs only on the transition to down and counts every
 * call; `ok` logs only on the transition back up, with the outage's length,
 * the number of failed operations and the first error's code. Effects: log
 * lines only. Never throws.
 */
import type { Logger } from 'pino';

export interface OutageLog {
  /** An operation needing `dependency` failed in a way that retrying can fix. */
  failed(dependency: string, err: { code: string; message: string }): void;
  /** An operation needing `dependency` succeeded. */
  ok(dependency: string): void;
  /** Whether an outage of `dependency` is under way (its start logged, its end not yet). */
  isDown(dependency: string): boolean;
}

export function createOutageLog(log: Logger, now: () => number = Date.now): OutageLog {
  const down = new Map<string, { since: number; failures: number; code: string }>();
  return {
    failed(dependency, err) {
      const cur = down.get(dependency);
      if (cur) {
        cur.failures++;
        return;
      }
      down.set(dependency, { since: now(), failures: 1, code: err.code });
      log.error(
        { dependency, code: err.code, err: err.message },
        `${dependency} unavailable (${err.code}); affected work is retried, and recovery will be logged`,
      );
    },
    ok(dependency) {
      const cur = down.get(dependency);
      if (!cur) return;
      down.delete(dependency);
      const seconds = Math.round((now() - cur.since) / 1000);
      log.warn(
        { dependency, seconds, failures: cur.failures, code: cur.code },
        `${dependency} recovered after ${seconds}s; ${cur.failures} operations failed meanwhile and are retried`,
      );
    },
    isDown: (dependency) => down.has(dependency),
  };
}
