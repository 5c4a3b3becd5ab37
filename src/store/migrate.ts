/**
 * Applies migrations/NNN_name.sql in numeric order, each at most once, and
 * records them in `vigil_migrations`.
 *
 * Effects: DDL on the connected database, all in one transaction, so a failed
 * migration leaves the schema as it was. Concurrent starts are safe: the
 * transaction first takes a transaction-scoped advisory lock
 * (pg_advisory_xact_lock), so a second process waits, then sees the versions
 * the first one recorded and applies nothing. The lock is released at commit
 * or rollback even if the process dies, unlike a session lock on a pooled
 * connection. (PGlite is single-process; the lock is harmless there.)
 * Failure modes: a bad migration or file name rejects with E_STORE_MIGRATION.
 */
import { readdir, readFile } from 'node:fs/promises';
import { VigilError } from '../domain/errors.js';
import type { SqlClient } from './sql-client.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Arbitrary fixed key ("vigil" in ASCII); only needs to differ from other users' advisory locks.
const LOCK_KEY = 0x766967696c;
const DEFAULT_DIR = new URL('./migrations/', import.meta.url);

export async function loadMigrations(dir: URL = DEFAULT_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql'));
  const migrations: Migration[] = [];
  for (const file of files) {
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m?.[1] || !m[2]) throw new VigilError('E_STORE_MIGRATION', `migration file ${file} is not named NNN_name.sql`);
    migrations.push({ version: Number(m[1]), name: m[2], sql: await readFile(new URL(file, dir), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new VigilError('E_STORE_MIGRATION', `two migrations share version ${migrations[i]?.version}`);
    }
  }
  return migrations;
}

/** Applies the pending migrations; resolves with the versions it applied (empty when up to date). */
export async function migrate(client: SqlClient, migrations?: readonly Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS vigil_migrations (
      version     int PRIMARY KEY,
      name        text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM vigil_migrations')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      try {
        await tx.exec(m.sql);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new VigilError('E_STORE_MIGRATION', `migration ${m.version}_${m.name} failed: ${reason}`, false, {
          cause: err,
        });
      }
      await tx.query('INSERT INTO vigil_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
