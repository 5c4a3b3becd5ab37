/**
 * Reads a KPI corpus: <root>/series/<kpi-id>.csv.gz, gzip of lines
 * "unix_seconds,value,label" (no header; label 1 = anomalous point). Rows
 * are kept by position, in file order (sampling has gaps; nothing here
 * assumes a fixed step).
 *
 * Effects: reads files. Failure modes: VigilError E_KPI_DATA naming the path
 * (missing directory, no series, not gzip, a line that is not three fields
 * of finite seconds, finite value and label 0/1, no rows).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VigilError } from '../../domain/index.js';

export interface KpiSeries {
  /** file name without ".csv.gz" */
  readonly id: string;
  readonly path: string;
  /** epoch ms */
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** 0 or 1 per row */
  readonly labels: Uint8Array;
}

const fail = (path: string, why: string): never => {
  throw new VigilError('E_KPI_DATA', `${path}: ${why}`);
};

export function parseKpi(path: string, text: string): Pick<KpiSeries, 't' | 'v' | 'labels'> {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) fail(path, 'no rows');
  const t = new Float64Array(lines.length),
    v = new Float64Array(lines.length),
    labels = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const f = (lines[i] as string).split(',');
    const sec = Number(f[0]),
      val = f[1]?.trim() ? Number(f[1]) : NaN,
      lab = f[2]?.trim();
    if (
      f.length !== 3 ||
      !(f[0] ?? '').trim() ||
      !Number.isFinite(sec) ||
      !Number.isFinite(val) ||
      (lab !== '0' && lab !== '1')
    ) {
      fail(path, `line ${i + 1} is not "unix_seconds,value,label(0|1)": "${lines[i] as string}"`);
    }
    t[i] = sec * 1000;
    v[i] = val;
    labels[i] = lab === '1' ? 1 : 0;
  }
  return { t, v, labels };
}

/** Every series under <root>/series, sorted by id. */
export async function loadKpi(root: string): Promise<KpiSeries[]> {
  const dir = join(root, 'series');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.csv.gz')).sort();
  } catch (err) {
    throw new VigilError(
      'E_KPI_DATA',
      `${dir}: cannot read directory (expected <root>/series/<kpi-id>.csv.gz)`,
      false,
      { cause: err },
    );
  }
  if (names.length === 0) fail(dir, 'no <kpi-id>.csv.gz files');
  const out: KpiSeries[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let text: string;
    try {
      text = gunzipSync(await readFile(path)).toString('utf8');
    } catch (err) {
      throw new VigilError('E_KPI_DATA', `${path}: cannot read or gunzip`, false, { cause: err });
    }
    out.push({ id: name.slice(0, -'.csv.gz'.length), path, ...parseKpi(path, text) });
  }
  return out;
}
