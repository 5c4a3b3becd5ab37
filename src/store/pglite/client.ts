/**
 * SqlClient over embedded PGlite: the only file that imports @electric-sql/pglite.
 *
 * `dataDir` is the directory PGlite keeps its files in (its parent is created
 * when missing), or 'memory://' for a database that lives only in this process.
 * Effects: starts Postgres in WASM (fresh dir ~8 s, reopen ~0.5 s, memory ~4 s)
 * and keeps Node alive until `close()`. PGlite is single-process, so an
 * on-disk directory is locked first (lock.ts) and unlocked after close().
 * Failure modes: E_STORE_LOCKED when another process holds the directory; a
 * start failure rejects with E_STORE_CONNECT naming the dir; later failures
 * are mapped by `toStoreError`.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PGliteOptions, Transaction } from '@electric-sql/pglite';
import { VigilError } from '../../domain/errors.js';
import { toStoreError } from '../errors.js';
import { INT8_OID, parseInt8 } from '../int8.js';
import type { Row, SqlClient, SqlExecutor } from '../sql-client.js';
import { acquireDirLock, type DirLock } from './lock.js';
import { clusterTemplate } from './template.js';

export const MEMORY = 'memory://';

/**
 * An in-memory database keeps every page in its in-memory file system
 * already, so a large buffer pool only holds second copies: 16 MB instead
 * of Postgres' 128 MB default keeps WebAssembly memory at 134 MB instead of
 * 198 MB (it never shrinks once grown), at no measurable cost: a miss is a
 * copy between two memory buffers, never a disk read.
 * Nothing of it survives the process, so there is no crash recovery to
 * protect: full-page images in the WAL (torn-page protection) and
 * zero-filling each new WAL segment only cost CPU (a full page written to
 * the WAL after every `compact()` checkpoint, for each page touched again).
 */
const IN_MEMORY_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=16MB', '-c', 'full_page_writes=off', '-c', 'wal_init_zero=off'],
];

function executor(q: PGlite | Transaction): SqlExecutor {
  return {
    async query<R extends object = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      try {
        return (await q.query<R>(text, [...params])).rows;
      } catch (err) {
        throw toStoreError(err);
      }
    },
    async exec(script: string): Promise<void> {
      try {
        await q.exec(script);
      } catch (err) {
        throw toStoreError(err);
      }
    },
  };
}

export interface PgliteClientOptions {
  /** Told when a stale lock (its process is gone) was taken over; for the log. */
  readonly onWarning?: (message: string) => void;
  /**
   * In-memory only: a per-user directory where a fresh cluster is kept
   * (template.ts), so that later starts skip initdb. Absent: initdb every time.
   */
  readonly templateDir?: string;
}

/** An in-memory database from the saved template when there is one; else from initdb, saving the template. */
async function startInMemory(
  dataDir: string,
  options: PGliteOptions,
  templateDir: string | undefined,
): Promise<PGlite> {
  const template = templateDir === undefined ? null : clusterTemplate(templateDir);
  const saved = (await template?.load()) ?? null;
  if (saved) {
    try {
      return await PGlite.create(dataDir, { ...options, loadDataDir: saved });
    } catch {
      await template?.discard();
    }
  }
  const db = await PGlite.create(dataDir, options);
  if (!saved) await template?.save(db);
  return db;
}

export async function createPgliteClient(dataDir: string, opts: PgliteClientOptions = {}): Promise<SqlClient> {
  const inMemory = dataDir.startsWith(MEMORY);
  let db: PGlite;
  let lock: DirLock | null = null;
  try {
    if (!inMemory) {
      await mkdir(dirname(resolve(dataDir)), { recursive: true });
      lock = acquireDirLock(dataDir, opts.onWarning);
    }
    const options: PGliteOptions = { parsers: { [INT8_OID]: parseInt8 } };
    db = inMemory
      ? await startInMemory(dataDir, { ...options, startParams: IN_MEMORY_PARAMS }, opts.templateDir)
      : await PGlite.create(dataDir, options);
  } catch (err) {
    lock?.release();
    if (err instanceof VigilError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new VigilError('E_STORE_CONNECT', `cannot start embedded PGlite in ${dataDir}: ${reason}`, false, {
      cause: err,
    });
  }

  let closed: Promise<void> | null = null;
  return {
    backend: 'pglite',
    ...executor(db),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      try {
        return await db.transaction((tx) => fn(executor(tx)));
      } catch (err) {
        throw toStoreError(err);
      }
    },
    close(): Promise<void> {
      // Unlocked only once PGlite has stopped writing, whether or not close() failed.
      closed ??= db.close().finally(() => lock?.release());
      return closed;
    },
  };
}
