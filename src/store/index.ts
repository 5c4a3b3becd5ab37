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
import { migrate } from './migrate.js';
import { createPgClient } from './pg/client.js';
import { createPgliteClient } from './pglite/client.js';
import { createSqlStore } from './sql-store.js';
import type { Store } from './types.js';

export type * from './types.js';
export type { SqlClient, SqlExecutor } from './sql-client.js';

export interface OpenStoreOptions {
  /** postgres:// URL; null or absent means embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string | null;
  /** PGlite's own directory (e.g. ./.vigil/pglite; parent created if missing), or 'memory://'. Unused with a URL. */
  readonly dataDir: string;
  /** Errors of idle Postgres connections, for logging; the next query reports them too. */
  readonly onError?: (err: Error) => void;
  /** Things worth a log line that are not errors (PGlite: a stale lock taken over). */
  readonly onWarning?: (message: string) => void;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const client = opts.databaseUrl
    ? await createPgClient(opts.databaseUrl, opts.onError ? { onError: opts.onError } : {})
    : await createPgliteClient(opts.dataDir, opts.onWarning ? { onWarning: opts.onWarning } : {});
  try {
    await migrate(client);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return createSqlStore(client);
}
