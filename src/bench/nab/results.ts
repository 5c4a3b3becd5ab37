/**
 * NAB results files: <outDir>/<detector>/<category>/<detector>_<file>.csv with
 * columns timestamp,value,anomaly_score,label (timestamp and value verbatim
 * from the source; label 1 inside a window; anomaly_score to 12 significant
 * digits, trailing zeros trimmed).
 *
 * Effects: writeResults creates directories and writes one file; readResults
 * reads them back. Failure modes: VigilError E_NAB_RESULTS naming the path
 * when a results file is missing, has the wrong header or row count.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VigilError } from '../../domain/index.js';
import type { NabCorpus, NabFile } from './data.js';
import { windowOfRows } from './rows.js';

const HEADER = 'timestamp,value,anomaly_score,label';

/** 12 significant digits, as NAB expects; parses back to exactly the scored value. */
export function formatScore(x: number): string {
  return String(Number(x.toPrecision(12)));
}

export function resultsPath(outDir: string, detector: string, file: NabFile): string {
  return join(outDir, detector, file.category, `${detector}_${file.file}`);
}

export async function writeResults(path: string, file: NabFile, printed: readonly string[]): Promise<void> {
  const label = windowOfRows(file.rows, file.windows);
  const lines = new Array<string>(file.rows + 1);
  lines[0] = HEADER;
  for (let i = 0; i < file.rows; i++) {
    lines[i + 1] = `${file.timestampText[i]},${file.valueText[i]},${printed[i]},${(label[i] as number) >= 0 ? 1 : 0}`;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lines.join('\n') + '\n');
}

/** The anomaly_score column of each corpus file's results, in corpus order. */
export async function readResults(outDir: string, detector: string, corpus: NabCorpus): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  for (const f of corpus.files) {
    const path = resultsPath(outDir, detector, f);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new VigilError('E_NAB_RESULTS', `${path}: cannot read results file`, false, { cause: err });
    }
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const header = (lines[0] ?? '').split(',');
    const col = header.indexOf('anomaly_score');
    if (col < 0)
      throw new VigilError('E_NAB_RESULTS', `${path}: no anomaly_score column in header "${lines[0] ?? ''}"`);
    if (lines.length - 1 !== f.rows)
      throw new VigilError('E_NAB_RESULTS', `${path}: ${lines.length - 1} rows, data file has ${f.rows}`);
    const scores = new Float64Array(f.rows);
    for (let i = 0; i < f.rows; i++) scores[i] = Number((lines[i + 1] as string).split(',')[col]);
    out.push(scores);
  }
  return out;
}
