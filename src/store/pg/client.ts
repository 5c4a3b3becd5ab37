/**
 * SqlClient over a `pg` Pool: the only file that imports `pg`.
 *
 * Effects: opens up to `max` connections to the server in `url`.
 * Failure modes: an unreachable server, bad credentials or a missing database
 * reject `createPgClient` with E_STORE_CONNECT naming host, port and database
 * (never the password); later failures are mapped by `toStoreError`.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { VigilError } from '../../domain/errors.js';
import { toStoreError } from '../errors.js';
import { INT8_OID, parseInt8 } from '../int8.js';
import type { Row, SqlClient, SqlExecutor } from '../sql-client.js';

export interface PgClientOptions {
  /** Pool size; default 10. */
  readonly max?: number;
  /** Errors of idle connections (server restart, network loss); the next query reports them too. */
  readonly onError?: (err: Error) => void;
}

/** "postgres://host:port/db" — what a person needs to find the server, without credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(an unparseable database URL)';
  }
}

// Per-pool parsers, so the process-wide pg.types stay untouched.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function executor(q: pg.Pool | PoolClient): SqlExecutor {
  return {
    async query<R extends object = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      try {
        return (await q.query<R & pg.QueryResultRow>(text, [...params])).rows;
      } catch (err) {
        throw toStoreError(err);
      }
    },
    async exec(script: string): Promise<void> {
      // No parameters: pg uses the simple protocol, which accepts several statements.
      try {
        await q.query(script);
      } catch (err) {
        throw toStoreError(err);
      }
    },
  };
}

export async function createPgClient(url: string, options: PgClientOptions = {}): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: 'vigil',
    types,
  });
  // Without a listener an idle connection's error would crash the process.
  pool.on('error', (err) => options.onError?.(err));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new VigilError('E_STORE_CONNECT', `cannot connect to PostgreSQL at ${describeUrl(url)}: ${reason}`, true, {
      cause: err,
    });
  }

  let closed: Promise<void> | null = null;
  return {
    backend: 'postgres',
    ...executor(pool),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      let conn: PoolClient;
      try {
        conn = await pool.connect();
      } catch (err) {
        throw toStoreError(err);
      }
      const swallow = () => undefined; // the pending query rejects with the same error
      conn.on('error', swallow);
      let broken = false;
      try {
        await conn.query('BEGIN');
        const result = await fn(executor(conn));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw toStoreError(err);
      } finally {
        conn.removeListener('error', swallow);
        conn.release(broken);
      }
    },
    close(): Promise<void> {
      closed ??= pool.end();
      return closed;
    },
  };
}
