/**
 * Finds the series files of a replay root. Layout:
 *   root is a file                → one series: service = its base name, metric "value"
 *   <root>/<name>.csv             → service = name, metric "value"
 *   <root>/<service>/<metric>.csv → service = folder name, metric = file base name
 * Only `.csv` files count inside a directory (any extension when root itself
 * is a file); hidden entries are skipped; deeper .csv files and a second file
 * mapping to an existing (service, metric) are reported as issues, not served.
 * Effects: reads directory listings. Failure: VigilError E_REPLAY_READ naming
 * the path when the root (or a folder in it) cannot be read or holds no CSV.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { VigilError } from '../../domain/index.js';
import type { ReplayIssue } from './types.js';

export interface ReplayFile {
  /** Path relative to the root with "/" separators; the query id's tail. For a file root, its base name. */
  readonly rel: string;
  /** Path to open. */
  readonly path: string;
  readonly service: string;
  readonly metric: string;
}

function readError(path: string, err: unknown): VigilError {
  const why = err instanceof Error ? err.message : String(err);
  return new VigilError('E_REPLAY_READ', `replay: cannot read "${path}": ${why}`, false, { cause: err });
}

const stem = (name: string) => basename(name, extname(name));
const isCsv = (name: string) => !name.startsWith('.') && extname(name).toLowerCase() === '.csv';

export async function discover(root: string, report: (issue: ReplayIssue) => void): Promise<ReplayFile[]> {
  const info = await stat(root).catch((err: unknown) => {
    throw readError(root, err);
  });
  if (info.isFile()) return [{ rel: basename(root), path: root, service: stem(root), metric: 'value' }];
  const found: ReplayFile[] = [];
  const list = async (dir: string) =>
    readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      throw readError(dir, err);
    });
  for (const entry of await list(root)) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && isCsv(entry.name)) {
      found.push({ rel: entry.name, path: join(root, entry.name), service: stem(entry.name), metric: 'value' });
    } else if (entry.isDirectory()) {
      for (const inner of await list(join(root, entry.name))) {
        const rel = `${entry.name}/${inner.name}`;
        if (inner.isFile() && isCsv(inner.name)) {
          found.push({ rel, path: join(root, entry.name, inner.name), service: entry.name, metric: stem(inner.name) });
        } else if (inner.isDirectory() && !inner.name.startsWith('.')) {
          report({
            file: join(root, rel),
            line: 0,
            code: 'ignored_path',
            reason: 'folders below <service>/ are not read; expected <root>/<service>/<metric>.csv',
          });
        }
      }
    }
  }
  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const seen = new Map<string, string>();
  const unique = found.filter((f) => {
    const key = `${f.service}\u0000${f.metric}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, f.rel);
      return true;
    }
    report({
      file: f.path,
      line: 0,
      code: 'duplicate_series',
      reason: `service "${f.service}" metric "${f.metric}" already comes from ${first}; file skipped`,
    });
    return false;
  });
  if (unique.length === 0)
    throw new VigilError(
      'E_REPLAY_READ',
      `replay: no .csv files in "${root}" (expected <name>.csv or <service>/<metric>.csv)`,
    );
  return unique;
}
