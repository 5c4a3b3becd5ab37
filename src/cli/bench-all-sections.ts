/**
 * The corpora of `vigil bench all`, one function each; the caller times them
 * and turns a VigilError into a failed section.
 *
 * Effects: nab writes NAB results files into a fresh temp directory and
 * removes it; scenarios runs `vigil backtest`'s code in-process on each
 * <dir>/cNN (in-memory store, no notifications); simulated runs the demo per
 * seed. Progress goes to stderr. Failure modes: the VigilErrors of the
 * readers and runners (E_NAB_DATA, E_KPI_DATA, E_SCENARIO_TRUTH,
 * E_BACKTEST_*, E_BENCH_DETECTOR).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  PROFILE_NAMES,
  loadKpi,
  matchScenario,
  readTruth,
  runKpi,
  runNab,
  summarise,
  type KpiDetectorScores,
  type KpiSection,
  type NabDetectorResult,
  type NabDetectorScores,
  type NabSection,
  type ScenarioRun,
  type ScenarioSection,
} from '../bench/index.js';
import { runBacktest, silentOnFailedVerdicts } from '../backtest/index.js';
import type { DetectorFactory } from '../detect/types.js';
import { createLogger } from '../observability/index.js';
import { nabProgress } from './bench-deps.js';
import { configFromEnv } from './context.js';

type Err = NodeJS.WritableStream & { isTTY?: boolean };

/** A directory that exists, or null. */
export async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() === true;
}

const nabScores = (d: NabDetectorResult): NabDetectorScores => ({
  detector: d.detector,
  scores: Object.fromEntries(PROFILE_NAMES.map((p) => [p, d.scores[p].score])) as NabDetectorScores['scores'],
  categories: Object.fromEntries(Object.entries(d.scores.standard.categories).map(([k, c]) => [k, c.score])),
});

export async function nabSection(dir: string, factories: readonly DetectorFactory[], stderr: Err): Promise<NabSection> {
  const out = await mkdtemp(join(tmpdir(), 'vigil-bench-all-'));
  const progress = nabProgress(stderr);
  try {
    const run = await runNab({ dataRoot: dir, outDir: out, factories, onProgress: progress.onProgress });
    const [main, baseline] = run.detectors as [NabDetectorResult, NabDetectorResult | undefined];
    return {
      files: run.files,
      rows: run.rows,
      windows: run.windows,
      main: nabScores(main),
      baseline: baseline ? nabScores(baseline) : null,
    };
  } finally {
    progress.stop();
    await rm(out, { recursive: true, force: true });
  }
}

export async function kpiSection(dir: string, factories: readonly DetectorFactory[], stderr: Err): Promise<KpiSection> {
  const series = await loadKpi(dir);
  const scores: KpiDetectorScores[] = [];
  for (const f of factories) {
    const r = runKpi(series, f);
    stderr.write(
      `kpi ${f.name}: ${series.length} series, ${r.score.points} points, ${r.seconds.toFixed(1)} s detector time\n`,
    );
    const s = r.score;
    scores.push({
      detector: f.name,
      paF1: s.paF1.f1,
      paThreshold: s.paF1.threshold,
      pointF1: s.pointF1.f1,
      pointThreshold: s.pointF1.threshold,
      medianKpiF1: s.medianKpiF1,
      perKpi: s.perKpi,
      seconds: r.seconds,
    });
  }
  const points = series.reduce((n, s) => n + s.t.length, 0);
  return { series: series.length, points, delay: 7, main: scores[0] as KpiDetectorScores, baseline: scores[1] ?? null };
}

/** Scenario directories: subdirectories holding truth.json, sorted by name. */
export async function scenarioDirs(root: string): Promise<string[]> {
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const out: string[] = [];
  for (const n of names) if ((await stat(join(root, n, 'truth.json')).catch(() => null))?.isFile()) out.push(n);
  return out;
}

export async function scenarioSection(root: string, names: readonly string[], stderr: Err): Promise<ScenarioSection> {
  const config = configFromEnv();
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const started = performance.now();
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s elapsed`;
  const runs: ScenarioRun[] = [];
  const counts = [];
  for (const [k, name] of names.entries()) {
    const dir = join(root, name);
    const truth = await readTruth(join(dir, 'truth.json'));
    let shown = 0;
    const result = await runBacktest({
      dir,
      config,
      log,
      onIssue: (i) => stderr.write(`scenarios ${name}: skipped ${i.file}${i.line ? `:${i.line}` : ''}: ${i.reason}\n`),
      onProgress: (done, total) => {
        const quarter = Math.floor((4 * done) / Math.max(1, total));
        if (quarter > shown && quarter < 4) {
          shown = quarter;
          stderr.write(`scenarios ${name} (${k + 1}/${names.length}): ${quarter * 25}%, ${elapsed()}\n`);
        }
      },
    });
    const c = matchScenario(truth, result.incidents);
    counts.push(c);
    const one = summarise([c]);
    const silent = silentOnFailedVerdicts(result).length;
    runs.push({
      name,
      seconds: result.seconds,
      ...one.totals,
      medianDelayMin: one.medianDelayMin,
      byKind: c.byKind,
      silent,
    });
    stderr.write(
      `scenarios ${name} (${k + 1}/${names.length}): ${c.tp}/${c.truth} events matched, ${c.predicted} incidents, top-1 ${c.attributed}/${c.caused}, ${silent} silent about a failed verdict, ${result.seconds.toFixed(1)} s; ${elapsed()}\n`,
    );
  }
  const detector =
    config.detection.detector === 'vigil'
      ? `vigil, refractory ${config.detection.refractory}, learned ${config.detection.learned}`
      : config.detection.detector;
  return { detector, summary: summarise(counts), runs };
}
