/**
 * Whether the process named in a lock file still runs. Reads /proc where
 * there is one (Linux); elsewhere a signal-0 probe alone decides.
 * Effects: process.kill(pid, 0) (no signal is delivered) and /proc reads.
 * Failure modes: none thrown; an unreadable /proc means "cannot tell the
 * start time", and the pid alone decides.
 */
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc/<pid>/stat counts start times in these ticks since boot. */
const CLOCK_TICKS = 100;
/** Start times of one process, read twice from /proc, agree far closer than this. */
const SAME_START_MS = 2_000;

/**
 * A lock's holder is alive when its pid runs and, where /proc tells, that
 * process started when the holder did: a pid reused after a crash or a
 * container restart (vigil often runs as pid 1 there) is not the holder.
 * This process's own pid is never a live holder here: locks this process
 * holds are refused before this is asked (lock.ts).
 */
export function isAlive(holder: { readonly pid: number; readonly startedAt: string }): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: it runs under another user; it is alive all the same.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const actual = processStartTime(holder.pid);
  const claimed = Date.parse(holder.startedAt);
  if (actual === null || Number.isNaN(claimed)) return true;
  return Math.abs(actual - claimed) <= SAME_START_MS;
}

/** Epoch ms at which `pid` started, from /proc; null where /proc cannot say. */
export function processStartTime(pid: number): number | null {
  try {
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and ')': fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime
    if (!boot?.[1] || !Number.isFinite(ticks)) return null;
    return Number(boot[1]) * 1000 + (ticks / CLOCK_TICKS) * 1000;
  } catch {
    return null;
  }
}
