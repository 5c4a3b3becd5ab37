/**
 * The thin SQL seam the store is written against. Two adapters implement it:
 * pg/ (PostgreSQL over the network) and pglite/ (embedded PGlite).
 *
 * Contract for both adapters:
 * - `query` runs one parameterised statement ($1, $2, ...) and returns its rows.
 * - bigint (int8) columns come back as JS numbers; a value beyond
 *   Number.MAX_SAFE_INTEGER throws instead of losing precision.
 * - json/jsonb columns come back parsed. Pass jsonb parameters as JSON text
 *   (JSON.stringify) and cast them in SQL (`$1::jsonb`): pg would otherwise
 *   send a JS array as a Postgres array.
 * - Every failure is a VigilError from `toStoreError` (stable code, `retryable`).
 */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of one or more statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly backend: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases connections (pg) or stops the embedded database (PGlite). Idempotent. */
  close(): Promise<void>;
}
