/**
 * One process per embedded data directory: an exclusive lock file beside it
 * (`<dataDir>.lock`, e.g. ./.vigil/pglite.lock), because PGlite is
 * single-process and two processes writing one directory lose data (issue 16).
 *
 * Inputs: the data directory. Effects: creates the lock file (flag 'wx', so
 * exactly one creator wins) holding { pid, startedAt, host, token }; removes
 * it on release() and at process exit. A lock whose process is gone (killed
 * with SIGKILL, a crash, a container restart that reused the pid) is stale
 * and taken over, reported through `onStale`.
 * Failure modes: E_STORE_LOCKED when a live process (or this one) holds the
 * directory, naming the directory, the pid and what to do; E_STORE_CONNECT
 * when the lock file cannot be written at all (permissions, read-only disk).
 */
import { mkdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { VigilError } from '../../domain/errors.js';
import { isAlive, processStartTime } from './liveness.js';

export interface LockHolder {
  readonly pid: number;
  /** When the holding process started (ISO); tells a reused pid from its holder. */
  readonly startedAt: string;
  readonly host: string;
  /** Unique per acquisition: release() removes the file only while it is still ours. */
  readonly token: string;
}

export interface DirLock {
  readonly file: string;
  /** Idempotent; synchronous so that it can run in an 'exit' handler. */
  release(): void;
}

/** A file that cannot be parsed and is younger than this is still being written by its creator. */
const UNFINISHED_MS = 5_000;
/** A takeover guard older than this belongs to a process that died mid-takeover. */
const GUARD_STALE_MS = 10_000;
const MAX_TRIES = 50;

/** Directories this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

export function lockFileOf(dataDir: string): string {
  return `${canonical(dataDir)}.lock`;
}

/** One name per directory, however it is reached: absolute, with the parent's symlinks resolved. */
function canonical(dataDir: string): string {
  const abs = resolve(dataDir);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs; // the parent does not exist yet
  }
}

export function acquireDirLock(dataDir: string, onStale: (message: string) => void = () => {}): DirLock {
  try {
    mkdirSync(dirname(resolve(dataDir)), { recursive: true });
  } catch (err) {
    throw cannotLock(`${resolve(dataDir)}.lock`, err);
  }
  const dir = canonical(dataDir);
  const file = `${dir}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    startedAt: new Date(processStartTime(process.pid) ?? Date.now() - process.uptime() * 1000).toISOString(),
    host: hostname(),
    token: randomUUID(),
  };
  if (held.has(dir)) throw lockedError(dir, file, me, ' (this process)');
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    if (tryCreate(file, me)) return holdLock(dir, file, me);
    const seen = readHolder(file);
    if (seen === 'gone') continue;
    if (seen === 'unfinished') {
      pause(20);
      continue;
    }
    if (seen !== 'unreadable' && isAlive(seen)) throw lockedError(dir, file, seen);
    if (takeOver(file, seen, me)) {
      const who =
        seen === 'unreadable'
          ? 'an unreadable lock'
          : `process ${seen.pid} (started ${seen.startedAt} on ${seen.host}), which is no longer running`;
      onStale(`embedded store ${dir}: took over the stale lock of ${who}; PostgreSQL recovers the directory on open`);
      return holdLock(dir, file, me);
    }
  }
  throw new VigilError(
    'E_STORE_LOCKED',
    `store: could not take the lock ${file} after ${MAX_TRIES} tries: other processes keep taking it. Run one process per data directory, or set DATABASE_URL to a PostgreSQL server to share storage between processes`,
  );
}

function tryCreate(file: string, me: LockHolder): boolean {
  try {
    writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotLock(file, err);
  }
}

function holdLock(dir: string, file: string, me: LockHolder): DirLock {
  held.add(dir);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    held.delete(dir);
    // Only our own file: a takeover after we were presumed dead must not be undone.
    const now = readHolder(file);
    if (typeof now === 'object' && now.token === me.token) {
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', release);
  return { file, release };
}

type Seen = LockHolder | 'gone' | 'unfinished' | 'unreadable';

function readHolder(file: string): Seen {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.token === 'string') {
      return { pid: v.pid, startedAt: String(v.startedAt ?? ''), host: String(v.host ?? ''), token: v.token };
    }
  } catch {
    /* fall through */
  }
  // The creator writes right after creating; an empty or partial file is only stale once it is old.
  try {
    return Date.now() - statSync(file).mtimeMs < UNFINISHED_MS ? 'unfinished' : 'unreadable';
  } catch {
    return 'gone';
  }
}

/**
 * Replaces the stale lock `seen` with ours. Two processes may find the same
 * stale lock: a guard directory (mkdir is exclusive) lets one of them re-read,
 * remove and re-create it, so neither can delete the other's fresh lock.
 */
function takeOver(file: string, seen: LockHolder | 'unreadable', me: LockHolder): boolean {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotLock(file, err);
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) rmdirSync(guard);
    } catch {
      /* another process removed it */
    }
    pause(20);
    return false;
  }
  try {
    const again = readHolder(file);
    const unchanged =
      typeof again === 'object' ? typeof seen === 'object' && again.token === seen.token : again === seen;
    if (!unchanged) return false;
    unlinkSync(file);
    return tryCreate(file, me);
  } finally {
    try {
      rmdirSync(guard);
    } catch {
      /* best effort */
    }
  }
}

function lockedError(dir: string, file: string, h: Pick<LockHolder, 'pid' | 'startedAt'>, who = ''): VigilError {
  return new VigilError(
    'E_STORE_LOCKED',
    `store: the embedded database in ${dir} is in use by process ${h.pid}${who} (started ${h.startedAt}). ` +
      'Embedded PGlite is single-process: stop that process first, or set DATABASE_URL to a PostgreSQL server ' +
      `to share storage between processes (\`vigil start\` and \`vigil worker\`). Lock file: ${file}`,
  );
}

function cannotLock(file: string, err: unknown): VigilError {
  const reason = err instanceof Error ? err.message : String(err);
  return new VigilError('E_STORE_CONNECT', `store: cannot create the lock file ${file}: ${reason}`, false, {
    cause: err,
  });
}

/** A short synchronous wait between retries (start-up only; never on a hot path). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
