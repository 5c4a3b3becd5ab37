/**
 * Runs detectors over a NAB-layout corpus and scores them.
 *
 * For each factory (the first is the main detector) and each file: one fresh
 * detector per file, SeriesRef { source 'nab', metric = file stem, labels {} }
 * (no category information), every row fed in order via update(); score.value
 * goes through the detector's page-once policy (factory.pagePolicy,
 * detect/policy.ts: NAB counts every repeated detection outside a window as
 * a false positive; `raw` skips it, e.g. for point-labelled corpora), is
 * printed to 12 significant digits, written to the results file, and the
 * printed-then-parsed value is what gets scored. Files run sequentially on the
 * main thread: factories are injected objects, which a worker cannot receive.
 *
 * `seconds` counts detector work only (create + update); wallSeconds adds
 * loading, writing and scoring.
 *
 * Effects: reads dataRoot, writes <outDir>/<detector>/... (overwrites).
 * Failure modes: VigilError E_NAB_DATA (layout), E_BENCH_ARGS (no factories,
 * duplicate or path-unsafe names), E_BENCH_DETECTOR (a detector threw, or gave
 * a score outside [0,1]; names detector, file and row).
 */
import { performance } from 'node:perf_hooks';
import { VigilError, seriesKey, type SeriesRef } from '../../domain/index.js';
import type { DetectorFactory } from '../../detect/types.js';
import { loadNab, type NabCorpus, type NabFile } from './data.js';
import type { ByProfile } from './profiles.js';
import { formatScore, resultsPath, writeResults } from './results.js';
import { scoreCorpus, type ProfileScore, type ScorableFile } from './scorer.js';
import { PageOnce } from '../../detect/policy.js';

export interface NabProgress {
  readonly detector: string;
  readonly category: string;
  readonly file: string;
  /** files finished so far, over all detectors */
  readonly done: number;
  readonly total: number;
  /** set when this file was the detector's last of its category */
  readonly categoryDone: { readonly files: number; readonly rows: number; readonly seconds: number } | null;
}

export interface NabRunOptions {
  readonly dataRoot: string;
  readonly outDir: string;
  readonly factories: readonly DetectorFactory[];
  /** write raw scores: no page-once policy */
  readonly raw?: boolean;
  readonly onProgress?: (p: NabProgress) => void;
}

export interface NabDetectorResult {
  readonly detector: string;
  readonly files: number;
  readonly rows: number;
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly rowsPerSecond: number;
  readonly scores: ByProfile<ProfileScore>;
}

export interface NabRunResult {
  readonly files: number;
  readonly rows: number;
  readonly windows: number;
  /** in factory order; the first is the main detector */
  readonly detectors: readonly NabDetectorResult[];
}

export function nabSeriesRef(file: NabFile): SeriesRef {
  const metric = file.file.replace(/\.csv$/, '');
  return { key: seriesKey('nab', metric, {}), source: 'nab', metric, service: 'nab', labels: {} };
}

/** Raw score values of one file, and the detector time spent. */
function detectFile(factory: DetectorFactory, file: NabFile): { values: Float64Array; seconds: number } {
  const values = new Float64Array(file.rows);
  const started = performance.now();
  let i = 0;
  try {
    const d = factory.create(nabSeriesRef(file));
    for (; i < file.rows; i++) values[i] = d.update({ t: file.t[i] as number, v: file.v[i] as number }).value;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new VigilError(
      'E_BENCH_DETECTOR',
      `detector "${factory.name}" failed on ${file.key} row ${i}: ${why}`,
      false,
      { cause: err },
    );
  }
  return { values, seconds: (performance.now() - started) / 1000 };
}

function printScores(
  factory: DetectorFactory,
  file: NabFile,
  values: Float64Array,
): { printed: string[]; parsed: Float64Array } {
  const printed = new Array<string>(file.rows);
  const parsed = new Float64Array(file.rows);
  for (let i = 0; i < file.rows; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new VigilError(
        'E_BENCH_DETECTOR',
        `detector "${factory.name}" gave score ${v} on ${file.key} row ${i}; scores must be in [0,1]`,
      );
    }
    printed[i] = formatScore(v);
    parsed[i] = Number(printed[i]);
  }
  return { printed, parsed };
}

function checkFactories(factories: readonly DetectorFactory[]): void {
  if (factories.length === 0) throw new VigilError('E_BENCH_ARGS', 'no detector to benchmark');
  const seen = new Set<string>();
  for (const f of factories) {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(f.name))
      throw new VigilError('E_BENCH_ARGS', `detector name "${f.name}" cannot be used as a directory name`);
    if (seen.has(f.name)) throw new VigilError('E_BENCH_ARGS', `two detectors are named "${f.name}"`);
    seen.add(f.name);
  }
}

async function runOne(
  corpus: NabCorpus,
  opts: NabRunOptions,
  factory: DetectorFactory,
  doneBefore: number,
): Promise<NabDetectorResult> {
  const wallStart = performance.now();
  const total = corpus.files.length * opts.factories.length;
  const scored: ScorableFile[] = [];
  let seconds = 0;
  let cat = { files: 0, rows: 0, seconds: 0 };
  for (const [k, file] of corpus.files.entries()) {
    const run = detectFile(factory, file);
    if (factory.pagePolicy && opts.raw !== true) PageOnce.applyAll(run.values, factory.pagePolicy);
    const { printed, parsed } = printScores(factory, file, run.values);
    await writeResults(resultsPath(opts.outDir, factory.name, file), file, printed);
    scored.push({ key: file.key, category: file.category, rows: file.rows, scores: parsed, windows: file.windows });
    seconds += run.seconds;
    cat = { files: cat.files + 1, rows: cat.rows + file.rows, seconds: cat.seconds + run.seconds };
    const last = corpus.files[k + 1]?.category !== file.category;
    opts.onProgress?.({
      detector: factory.name,
      category: file.category,
      file: file.file,
      done: doneBefore + k + 1,
      total,
      categoryDone: last ? cat : null,
    });
    if (last) cat = { files: 0, rows: 0, seconds: 0 };
  }
  const scores = scoreCorpus(scored);
  return {
    detector: factory.name,
    files: corpus.files.length,
    rows: corpus.rows,
    seconds,
    wallSeconds: (performance.now() - wallStart) / 1000,
    rowsPerSecond: corpus.rows / Math.max(seconds, 1e-9),
    scores,
  };
}

export async function runNab(opts: NabRunOptions): Promise<NabRunResult> {
  checkFactories(opts.factories);
  const corpus = await loadNab(opts.dataRoot);
  const detectors: NabDetectorResult[] = [];
  for (const factory of opts.factories) {
    detectors.push(await runOne(corpus, opts, factory, detectors.length * corpus.files.length));
  }
  return { files: corpus.files.length, rows: corpus.rows, windows: corpus.windows, detectors };
}
