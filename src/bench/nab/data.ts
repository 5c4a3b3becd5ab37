/**
 * Reads a NAB-layout directory: <root>/data/<category>/<file>.csv (header
 * "timestamp,value") and <root>/labels/combined_windows.json. Rows are kept by
 * position; timestamp and value text are kept verbatim for the results files.
 * Each window's start is the first row at or after the previous window with
 * that timestamp, its end the first row at or after the start (as NAB does).
 *
 * Effects: reads files. Failure modes: VigilError E_NAB_DATA naming the path
 * (missing directory or labels, bad header, unparsable row, a data file with
 * no labels entry, a window timestamp not found in its file). Label entries
 * with no data file are ignored, so a filtered copy of the labels is optional.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VigilError } from '../../domain/index.js';
import type { RowWindow } from './rows.js';
import { parseNabTimestamp } from './timestamp.js';

export interface NabFile {
  readonly category: string;
  /** file name with ".csv" */
  readonly file: string;
  /** "<category>/<file>.csv", the labels key */
  readonly key: string;
  readonly path: string;
  readonly rows: number;
  readonly timestampText: readonly string[];
  readonly valueText: readonly string[];
  /** epoch ms, UTC */
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly windows: readonly RowWindow[];
}

export interface NabCorpus {
  readonly root: string;
  /** sorted by category, then file name */
  readonly files: readonly NabFile[];
  readonly rows: number;
  readonly windows: number;
}

const fail = (path: string, why: string): never => {
  throw new VigilError('E_NAB_DATA', `${path}: ${why}`);
};

async function listDir(path: string, what: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((e) => (what === 'dir' ? e.isDirectory() : e.isFile() && e.name.endsWith('.csv')))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw new VigilError(
      'E_NAB_DATA',
      `${path}: cannot read directory (expected NAB layout <root>/data/<category>/<file>.csv)`,
      false,
      { cause: err },
    );
  }
}

async function readLabels(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new VigilError('E_NAB_DATA', `${path}: cannot read labels file`, false, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(path, 'not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail(path, 'expected an object of "<category>/<file>.csv": [[start, end], ...]');
  return json as Record<string, unknown>;
}

function parseCsv(path: string, text: string): Pick<NabFile, 'rows' | 'timestampText' | 'valueText' | 't' | 'v'> {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'timestamp,value') fail(path, `expected header "timestamp,value", found "${lines[0] ?? ''}"`);
  const rows = lines.length - 1;
  const timestampText: string[] = new Array<string>(rows);
  const valueText: string[] = new Array<string>(rows);
  const t = new Float64Array(rows);
  const v = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const line = lines[i + 1] as string;
    const comma = line.indexOf(',');
    const ts = line.slice(0, comma);
    const val = line.slice(comma + 1);
    const ms = comma < 0 ? null : parseNabTimestamp(ts);
    const num = val.trim() === '' ? NaN : Number(val);
    if (ms === null || !Number.isFinite(num))
      fail(path, `line ${i + 2} is not "YYYY-MM-DD HH:MM:SS,<number>": "${line}"`);
    timestampText[i] = ts;
    valueText[i] = val;
    t[i] = ms as number;
    v[i] = num;
  }
  if (rows === 0) fail(path, 'no data rows');
  return { rows, timestampText, valueText, t, v };
}

function mapWindows(labelsPath: string, key: string, raw: unknown, t: Float64Array): RowWindow[] {
  const where = `${labelsPath} ["${key}"]`;
  if (!Array.isArray(raw)) return fail(where, 'expected a list of [start, end] pairs');
  const find = (text: unknown, from: number): number => {
    const ms = typeof text === 'string' ? parseNabTimestamp(text) : null;
    if (ms === null) return fail(where, `bad window timestamp ${JSON.stringify(text)}`);
    for (let i = from; i < t.length; i++) if (t[i] === ms) return i;
    return fail(where, `window timestamp "${text as string}" matches no row at or after row ${from}`);
  };
  const out: RowWindow[] = [];
  let cursor = 0;
  for (const pair of raw as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2)
      return fail(where, `expected [start, end], found ${JSON.stringify(pair)}`);
    const start = find(pair[0], cursor);
    const end = find(pair[1], start);
    out.push({ start, end });
    cursor = end + 1;
  }
  return out;
}

/** Loads every CSV under <root>/data with its windows from <root>/labels/combined_windows.json. */
export async function loadNab(root: string): Promise<NabCorpus> {
  const labelsPath = join(root, 'labels', 'combined_windows.json');
  const labels = await readLabels(labelsPath);
  const dataDir = join(root, 'data');
  const files: NabFile[] = [];
  for (const category of await listDir(dataDir, 'dir')) {
    for (const file of await listDir(join(dataDir, category), 'csv')) {
      const key = `${category}/${file}`;
      const path = join(dataDir, category, file);
      if (!(key in labels)) fail(labelsPath, `no entry for "${key}" (found ${path})`);
      const parsed = parseCsv(path, await readFile(path, 'utf8'));
      files.push({ category, file, key, path, ...parsed, windows: mapWindows(labelsPath, key, labels[key], parsed.t) });
    }
  }
  if (files.length === 0) fail(dataDir, 'no <category>/<file>.csv files found');
  return {
    root,
    files,
    rows: files.reduce((n, f) => n + f.rows, 0),
    windows: files.reduce((n, f) => n + f.windows.length, 0),
  };
}
