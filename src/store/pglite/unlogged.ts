/**
 * Tables an in-memory PGlite keeps without a write-ahead log (UNLOGGED):
 * the ones pull jobs write on every page. A database in memory has no
 * crash to recover from, so their WAL records were work for nothing, about
 * a sixth of inserting a point (docs/benchmarks.md). Only tables that no
 * foreign key touches: a logged table may not reference an unlogged one.
 * A database on disk keeps them logged: there the log is what survives a
 * crash.
 */
import type { SqlExecutor } from '../sql-client.js';

export const UNLOGGED_IN_MEMORY = [
  'metric_points',
  'detector_state',
  'pushed_points',
  'source_cursors',
  'anomalies',
  'series',
] as const;

/** Once migrated; idempotent. */
export async function unlogInMemoryTables(db: SqlExecutor): Promise<void> {
  await db.exec(UNLOGGED_IN_MEMORY.map((t) => `ALTER TABLE ${t} SET UNLOGGED;`).join('\n'));
}
