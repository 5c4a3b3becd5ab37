/**
 * One process per embedded data directory (issue 16: `vigil worker` next to
 * `vigil start` opened the same ./.vigil/pglite and lost data). Real
 * processes: a child holds the store; the second open fails with
 * E_STORE_LOCKED; after the child is killed with SIGKILL its stale lock is
 * taken over with a warning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { VigilError } from '../../src/domain/errors.js';
import { openStore } from '../../src/store/index.js';
import { acquireDirLock, lockFileOf } from '../../src/store/pglite/lock.js';

const CHILD = resolve('test/store/child/hold-store.ts');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(tmp, `d${++n}`, 'pglite');

/** A lock file left behind by some earlier process. */
function writeLock(dir: string, text: string): string {
  const file = lockFileOf(dir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Starts a process holding the store in `dir`; resolves once it has it open. */
function holdInChild(dir: string): Promise<ChildProcess> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('ready')) res(child);
    });
    child.once('exit', (code) => rej(new Error(`child exited (${code}) before opening the store: ${err}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGKILL');
  });
}

describe('embedded store lock, across processes', () => {
  let child: ChildProcess | null = null;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) await killHard(child);
    child = null;
  });

  it('refuses a second process with E_STORE_LOCKED naming the directory, the pid and DATABASE_URL; takes over after SIGKILL', async () => {
    const dir = freshDir();
    child = await holdInChild(dir);
    const err = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect(err).toMatchObject({ code: 'E_STORE_LOCKED', retryable: false });
    const message = (err as Error).message;
    expect(message).toContain(lockFileOf(dir).replace(/\.lock$/, ''));
    expect(message).toContain(`process ${child.pid}`);
    expect(message).toContain('DATABASE_URL');

    await killHard(child);
    const warnings: string[] = [];
    const store = await openStore({ dataDir: dir, onWarning: (m) => warnings.push(m) });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`process ${child.pid}`);
      expect(warnings[0]).toContain('stale lock');
    } finally {
      await store.close();
    }
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });
});

describe('embedded store lock, in one process', () => {
  it('refuses a second open of a directory this process holds, and allows it after release', () => {
    const dir = freshDir();
    const lock = acquireDirLock(dir);
    expect(() => acquireDirLock(dir)).toThrow(
      expect.objectContaining({ code: 'E_STORE_LOCKED', message: expect.stringContaining('(this process)') }),
    );
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    acquireDirLock(dir).release();
  });

  it('is one lock however the directory is named (relative, or through a symlinked parent)', () => {
    const dir = freshDir();
    mkdirSync(dirname(dir), { recursive: true });
    const link = join(tmp, `link${n}`);
    symlinkSync(dirname(dir), link);
    const lock = acquireDirLock(dir);
    try {
      expect(() => acquireDirLock(join(link, 'pglite'))).toThrow(expect.objectContaining({ code: 'E_STORE_LOCKED' }));
      expect(() => acquireDirLock(relative(process.cwd(), dir))).toThrow(
        expect.objectContaining({ code: 'E_STORE_LOCKED' }),
      );
    } finally {
      lock.release();
    }
  });

  it('takes over a lock naming this pid that this process does not hold (a container restart reuses pid 1)', () => {
    const dir = freshDir();
    writeLock(
      dir,
      JSON.stringify({ pid: process.pid, startedAt: '2020-01-01T00:00:00.000Z', host: 'old', token: 'old' }),
    );
    const warnings: string[] = [];
    acquireDirLock(dir, (m) => warnings.push(m)).release();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`process ${process.pid}`);
  });

  const onLinux = existsSync('/proc/self/stat') ? it : it.skip;
  onLinux('takes over a lock whose pid runs but started at another time (the pid was reused)', () => {
    const dir = freshDir();
    // The parent process is alive, but did not start in 2020.
    writeLock(dir, JSON.stringify({ pid: process.ppid, startedAt: '2020-01-01T00:00:00.000Z', host: 'h', token: 't' }));
    const warnings: string[] = [];
    acquireDirLock(dir, (m) => warnings.push(m)).release();
    expect(warnings).toHaveLength(1);
  });

  it('treats a young unparseable lock as being written, and an old one as stale', () => {
    const dir = freshDir();
    const file = writeLock(dir, '');
    expect(() => acquireDirLock(dir)).toThrow(expect.objectContaining({ code: 'E_STORE_LOCKED' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const warnings: string[] = [];
    acquireDirLock(dir, (m) => warnings.push(m)).release();
    expect(warnings[0]).toContain('unreadable lock');
  });
});
