/**
 * A fresh, empty PGlite cluster kept as a file, so that an in-memory
 * database starts from it instead of running initdb: about 1.5 s instead of
 * 4-6 s, and initdb's second WebAssembly instance never exists (a backtest's
 * peak memory was set by that start). The template is exactly what initdb
 * made: nothing is written to it, migrations still run on every open.
 * Effects: reads, and when missing writes, `<dir>/pglite-<version>.tar.gz`
 * (~4.5 MB; written under a temporary name and renamed, so a concurrent
 * reader sees a whole file or none).
 * Failure modes: none surface. Without a usable template the caller runs
 * initdb as before; a template that fails to start is deleted (the caller
 * then starts afresh); a failed save is ignored.
 */
import { readFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** PGlite's version names the file: another version's template is never used. */
function versionOf(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@electric-sql/pglite');
    const pkg = require(join(dirname(entry), '..', 'package.json')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

export interface ClusterTemplate {
  /** The saved cluster, or null when there is none yet (or it cannot be read). */
  load(): Promise<Blob | null>;
  /** Saves `db`'s cluster, which must be fresh from initdb. Never throws. */
  save(db: PGlite): Promise<void>;
  /** Forgets a template that failed to start. Never throws. */
  discard(): Promise<void>;
}

export function clusterTemplate(dir: string): ClusterTemplate | null {
  const version = versionOf();
  if (version === null) return null;
  const path = join(dir, `pglite-${version}.tar.gz`);
  return {
    async load() {
      try {
        return new Blob([await readFile(path)]);
      } catch {
        return null;
      }
    },
    async save(db) {
      const temp = `${path}.${process.pid}.tmp`;
      try {
        const blob = await db.dumpDataDir('gzip');
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(temp, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
        await rename(temp, path);
      } catch {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    },
    async discard() {
      await rm(path, { force: true }).catch(() => undefined);
    },
  };
}
