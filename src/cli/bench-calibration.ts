/**
 * `vigil bench calibration`: false alarms per 1,000 anomaly-free points of
 * every developer series (NAB files, KPI series) at one threshold, and how
 * far apart they are (src/bench/calibration). stdout: the table, or with
 * --json one JSON object as the last line; stderr: one line per corpus.
 *
 * An absent corpus directory is skipped with a message naming it; with both
 * absent there is nothing to measure (E_BENCH_ARGS). Failure modes:
 * E_BENCH_ARGS (bad --threshold/--margin, unknown --detector), E_NAB_DATA,
 * E_KPI_DATA, E_BENCH_DETECTOR.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { calibrationTable, loadKpi, loadNab, runCalibration } from '../bench/index.js';
import { VigilError } from '../domain/index.js';
import type { DetectorFactory } from '../detect/types.js';
import { pickFactories, type BenchDeps } from './bench-deps.js';
import { isDir } from './bench-all-sections.js';
import { configFromEnv } from './context.js';

const unitInterval = (text: string): number => {
  const n = Number(text);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
};

const nonNegativeInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

interface CalibrationOptions {
  nab: string;
  kpi: string;
  threshold?: number;
  margin: number;
  detector?: string;
  json?: boolean;
}

export function register(bench: Command, deps: BenchDeps): void {
  bench
    .command('calibration')
    .description(
      'False alarms per 1,000 anomaly-free points on every NAB and KPI series at one threshold, and their spread',
    )
    .option('--nab <dir>', 'NAB-layout developer set', '../shared/nab')
    .option('--kpi <dir>', 'KPI corpus (series/*.csv.gz)', '../shared/kpi')
    .option('--threshold <t>', 'alarm threshold (default: detection.threshold from the config)', unitInterval)
    .option('--margin <n>', 'points next to a labelled window or segment that are not counted', nonNegativeInt, 30)
    .option('--detector <name>', 'detector to measure (default: the main detector)')
    .option('--json', 'end stdout with one JSON object')
    .action(async (o: CalibrationOptions) => {
      const stderr = deps.stderr ?? process.stderr;
      const [factory] = pickFactories(await deps.detectors(), o.detector, false) as [DetectorFactory];
      const threshold = o.threshold ?? configFromEnv().detection.threshold;
      const present = async (name: string, dir: string, flag: string): Promise<boolean> => {
        if (await isDir(dir)) return true;
        stderr.write(`bench calibration: ${name} skipped: directory ${dir} not found (pass ${flag} DIR)\n`);
        return false;
      };
      const nab = (await present('nab', o.nab, '--nab')) ? await loadNab(o.nab) : null;
      const kpi = (await present('kpi', o.kpi, '--kpi')) ? await loadKpi(o.kpi) : null;
      if (!nab && !kpi)
        throw new VigilError('E_BENCH_ARGS', `neither ${o.nab} nor ${o.kpi} exists: nothing to measure`);
      const r = runCalibration({ factory, threshold, margin: o.margin, nab, kpi });
      for (const c of ['nab', 'kpi'] as const) {
        const n = r.series.filter((s) => s.corpus === c);
        if (n.length > 0)
          stderr.write(`calibration ${c}: ${n.length} series, ${n.reduce((a, s) => a + s.alarms, 0)} false alarms\n`);
      }
      (deps.stdout ?? process.stdout).write(o.json ? `${JSON.stringify(r)}\n` : `${calibrationTable(r)}\n`);
    });
}
