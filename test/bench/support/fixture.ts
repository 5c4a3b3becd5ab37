/** Writes a tiny NAB-layout directory in a temp dir for the bench tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureFile {
  readonly rows: ReadonlyArray<readonly [string, string]>;
  readonly windows: ReadonlyArray<readonly [string, string]>;
  /** default true */
  readonly trailingNewline?: boolean;
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** Files keyed "<category>/<file>.csv". */
export function writeNab(files: Record<string, FixtureFile>, extraLabels: Record<string, unknown> = {}): string {
  const root = tempDir('vigil-nab-');
  const labels: Record<string, unknown> = { ...extraLabels };
  for (const [key, f] of Object.entries(files)) {
    const [category = '', name = ''] = key.split('/');
    mkdirSync(join(root, 'data', category), { recursive: true });
    const text =
      ['timestamp,value', ...f.rows.map(([t, v]) => `${t},${v}`)].join('\n') +
      (f.trailingNewline === false ? '' : '\n');
    writeFileSync(join(root, 'data', category, name), text);
    labels[key] = f.windows.map(([a, b]) => [`${a}.000000`, `${b}.000000`]);
  }
  mkdirSync(join(root, 'labels'), { recursive: true });
  writeFileSync(join(root, 'labels', 'combined_windows.json'), JSON.stringify(labels, null, 4));
  return root;
}

/** `n` rows, 5 minutes apart from 2014-04-01 00:00:00 UTC, values from `value(i)`. */
export function rowsOf(n: number, value: (i: number) => string = (i) => String(i % 7)): Array<[string, string]> {
  const start = Date.UTC(2014, 3, 1);
  return Array.from({ length: n }, (_, i) => [stamp(start + i * 300_000), value(i)]);
}

export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
