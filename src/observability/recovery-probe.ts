/**
 * Confirms a dependency's recovery when no work would: an outage can be
 * noticed by an idle connection's error in a process that then has nothing
 * to do (another worker took the jobs), and the outage log's "recovered"
 * line only comes with the next successful operation. While `isDown()`,
 * `check()` runs every `everyMs` (a reported success ends the outage in
 * the outage log); the probe stops once the dependency is up. Effects: the
 * checks only (their failures are swallowed: the outage log has them).
 */
export interface RecoveryProbe {
  /** Starts probing, if it is not already (call on every failure). */
  kick(): void;
  stop(): void;
}

export function recoveryProbe(isDown: () => boolean, check: () => Promise<unknown>, everyMs: number): RecoveryProbe {
  let timer: ReturnType<typeof setInterval> | null = null;
  let busy = false;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const tick = async () => {
    if (!isDown()) return stop();
    if (busy) return;
    busy = true;
    try {
      await check();
    } catch {
      // Still down: the outage log counted it.
    } finally {
      busy = false;
    }
    if (!isDown()) stop();
  };
  return {
    kick() {
      if (timer) return;
      timer = setInterval(() => void tick(), everyMs);
      timer.unref();
    },
    stop,
  };
}
