/**
 * Public surface of the store: `openStore` picks PostgreSQL when a database
 * URL is given and embedded PGlite otherwise, migrates the schema, and
 * returns the Store. Close it when done (PGlite keeps Node alive until then).
 *
 * Failure modes: E_STORE_CONNECT (Postgres unreachable, bad credentials,
 * missing database — the message names host, port and database, never the
 * password — or PGlite failing to start); E_STORE_LOCKED (another process
 * has the embedded directory open: one process per directory, see
 * pglite/lock.ts); E_STORE_MIGRATION.
 */
import { VigilError } from '../domain/errors.js';
import { migrate } from './migrate.js';
import { createPgliteClient, MEMORY } from './pglite/client.js';
import { unlogInMemoryTables } from './pglite/unlogged.js';
import type * as PgClient from './pg/client.js';
import { createSqlStore } from './sql-store.js';
import type { SqlClient } from './sql-client.js';
import type { Store } from './types.js';

/** pg/client.ts's createPgClient, its module (and `pg`) imported only by a process that uses PostgreSQL. */
const createPgClient: typeof PgClient.createPgClient = async (...args) =>
  (await import('./pg/client.js')).createPgClient(...args);

export type * from './types.js';
export { startCompaction, type Compaction, type CompactionOptions, type CompactionTimers } from './compaction.js';
export type { SqlClient, SqlExecutor } from './sql-client.js';

export interface OpenStoreOptions {
  /** postgres:// URL; null or absent means embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | null;
  /** PGlite's own directory (e.g. ./.vigil/pglite; parent created if missing), or 'memory://'. Unused with a URL. */
  readonly dataDir: string;
  /** Errors of idle Postgres connections, for logging; the next query reports them too. */
  readonly onError?: (err: Error) => void;
  /** With dataDir 'memory://': where a fresh embedded cluster is kept so later starts skip initdb (pglite/template.ts). */
  readonly templateDir?: string;
  /** Things worth a log line that are not errors (PGlite: a stale lock taken over). */
  readonly onWarning?: (message: string) => void;
  /**
   * Every statement's outcome as to availability: `unavailable` with each
   * E_STORE_UNAVAILABLE failure, `available` after each success, so one
   * place can log an outage once when it starts and once when it ends.
   */
  readonly availability?: { unavailable(err: VigilError): void; available(): void };
}

/** Reports the availability of every statement `client` runs (see OpenStoreOptions.availability). */
function watched(client: SqlClient, a: NonNullable<OpenStoreOptions['availability']>): SqlClient {
  const watch = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      a.available();
      return result;
    } catch (err) {
      if (err instanceof VigilError && err.code === 'E_STORE_UNAVAILABLE') a.unavailable(err);
      throw err;
    }
  };
  return {
    backend: client.backend,
    query: (text, params) => watch(() => client.query(text, params)),
    exec: (script) => watch(() => client.exec(script)),
    transaction: (fn) => watch(() => client.transaction(fn)),
    close: () => client.close(),
  };
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const client = await openClient(opts);
  return createSqlStore(opts.availability ? watched(client, opts.availability) : client);
}

/** The database openStore uses, migrated; in memory, its busiest tables unlogged (pglite/unlogged.ts). */
export async function openClient(opts: OpenStoreOptions): Promise<SqlClient> {
  const client = opts.databaseUrl
    ? await createPgClient(opts.databaseUrl, opts.onError ? { onError: opts.onError } : {})
    : await createPgliteClient(opts.dataDir, {
        ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
        ...(opts.templateDir ? { templateDir: opts.templateDir } : {}),
      });
  try {
    await migrate(client);
    if (!opts.databaseUrl && opts.dataDir.startsWith(MEMORY)) await unlogInMemoryTables(client);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return client;
}

/**
 * An empty database created beside the one `url` names (same server and
 * credentials), for runs that must not touch shared data (`vigil bench
 * pipeline`). `name` must be a plain lower-case identifier. `drop()` waits
 * up to a second for connections to it to close, then force-closes any left
 * and removes it.
 * Failure modes: E_STORE_CONNECT as openStore; E_STORE_* when the server
 * refuses CREATE DATABASE (no privilege, name taken).
 */
export async function createScratchDatabase(
  url: string,
  name: string,
): Promise<{ readonly url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new VigilError('E_STORE_CONFIG', `scratch database name "${name}" is not a plain lower-case identifier`);
  const admin = await createPgClient(url, { max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } catch (err) {
    await admin.close();
    throw err;
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    async drop() {
      try {
        // Connections just closed by their pools may linger a moment: wait for them before forcing them out.
        for (let attempt = 0; attempt < 10; attempt++) {
          const [row] = await admin.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if ((row?.n ?? 0) === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}
