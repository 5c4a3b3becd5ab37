/**
 * Real Redis and PostgreSQL servers for the fault tests, each started by the
 * test on a free loopback port with its data in a temporary directory, never
 * the shared instances on 6379 and 5432. They can be stopped cleanly,
 * killed (SIGKILL) and started again on the same port with the same data
 * (Redis keeps an append-only file).
 * PostgreSQL refuses to run as root: initdb and postgres run as the
 * `postgres` user (spawn's uid/gid), so the process handle is the server.
 * Missing binaries: `faultBinaries()` names them; under CI=true a test must
 * fail with that message, never skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Polls `cond` until it returns a truthy value; throws naming `what` after `timeoutMs` (a deadline, not a timing assertion). */
export async function waitFor<T>(
  what: string,
  cond: () => Promise<T> | T,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/** null when everything is there, else what is missing (the message a CI failure shows). */
export function faultBinaries(): string | null {
  const missing: string[] = [];
  if (!existsSync(REDIS_BIN)) missing.push(`${REDIS_BIN} (apt-get install redis-server)`);
  if (!pgBinDir()) missing.push('/usr/lib/postgresql/*/bin/{initdb,postgres} (apt-get install postgresql)');
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    missing.push('a `postgres` system user to run PostgreSQL as');
  return missing.length === 0 ? null : `fault tests need ${missing.join(' and ')}`;
}

/** `describe`, or a skip with the reason outside CI; under CI=true a missing binary fails. */
export function describeFaults(name: string, fn: () => void): void {
  const missing = faultBinaries();
  if (!missing) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('has the binaries it needs', () => {
        throw new Error(`${missing}; CI must run the fault tests`);
      });
    });
    return;
  }
  console.warn(`skipping ${name}: ${missing}`);
  describe.skip(name, fn);
}

/** A server process that can be stopped, killed and started again on its port. */
export interface Server {
  readonly port: number;
  readonly url: string;
  /** Graceful stop; resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data; resolves when it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data directory (teardown). */
  destroy(): Promise<void>;
  /** Everything the server printed (for failure messages). */
  output(): string;
}

function exited(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

function serverHandle(
  port: number,
  url: string,
  dir: string,
  launch: () => ChildProcess,
  ready: () => Promise<boolean>,
  stopSignal: NodeJS.Signals,
): Server {
  let child: ChildProcess | null = null;
  let out = '';
  const h: Server = {
    port,
    url,
    output: () => out,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null)
        throw new Error(`server on ${port} is already running`);
      child = launch();
      child.stdout?.on('data', (d) => {
        out += String(d);
      });
      child.stderr?.on('data', (d) => {
        out += String(d);
      });
      const c = child;
      await waitFor(
        `server on port ${port} to answer`,
        async () => {
          if (c.exitCode !== null) throw new Error(`server on ${port} exited with ${c.exitCode}: ${out.slice(-2000)}`);
          return ready();
        },
        60_000,
        50,
      );
    },
    async stop() {
      child?.kill(stopSignal);
      await exited(child);
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited(child);
    },
    async destroy() {
      await h.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let got = '';
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(false));
    s.on('data', (d) => {
      got += String(d);
      if (got.includes('\r\n')) {
        s.destroy();
        resolve(got.startsWith('+PONG'));
      }
    });
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  });
}

export async function startRedis(): Promise<Server> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fault-redis-'));
  const h = serverHandle(
    port,
    `redis://127.0.0.1:${port}`,
    dir,
    () =>
      spawn(
        REDIS_BIN,
        [
          // An append-only file written at every command: a restart keeps the queued jobs, as a production Redis does.
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--dir',
          dir,
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    () => redisPing(port),
    'SIGTERM',
  );
  await h.start();
  return h;
}

async function pgAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface Postgres extends Server {
  /** A new empty database on this server; its URL. */
  createDatabase(name: string): Promise<string>;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin');
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'vigil-fault-pg-'));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(spawnSync('id', ['-u', 'postgres']).stdout),
        gid: Number(spawnSync('id', ['-g', 'postgres']).stdout),
      }
    : {};
  if (asRoot) chownSync(root, ids.uid!, ids.gid!);
  const data = join(root, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { ...ids, cwd: root, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const h = serverHandle(
    port,
    url,
    root,
    () =>
      spawn(
        join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-k',
          root,
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        { ...ids, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    () => pgAnswers(url),
    'SIGINT',
  );
  await h.start();
  return {
    ...h,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
