/**
 * `vigil bench all`: the developer corpora and throughput in one run, side by
 * side: NAB, KPI, the deploy-attribution scenarios (cNN/ with truth.json),
 * Vigil's simulated scenarios and throughput, with the baseline detector
 * beside the main one on NAB and KPI. stdout: one table, or with --json one
 * JSON object (AllReport) as the last line. stderr: progress per corpus.
 *
 * An absent corpus directory is skipped with a message naming it, never an
 * error; a corpus whose data or detector fails (a VigilError) is reported
 * as failed, the others still run, and the exit code is 1. Corpora run one
 * after another, never in parallel, so their times do not disturb each other.
 */
import type { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import {
  SECTION_NAMES,
  allTable,
  runThroughput,
  type AllReport,
  type ScenarioSection,
  type Section,
  type SectionName,
} from '../bench/index.js';
import { VigilError } from '../domain/index.js';
import type { DetectorFactory } from '../detect/types.js';
import { pickFactories, positiveInt, type BenchDeps } from './bench-deps.js';
import { isDir, kpiSection, nabSection, scenarioDirs, scenarioSection } from './bench-all-sections.js';
import { runSimulated } from './bench-sim.js';

interface AllOptions {
  nab: string;
  kpi: string;
  scenarios: string;
  seeds: number;
  detector?: string;
  baseline: string;
  throughput: string;
  skip: string;
  json?: boolean;
}

function parseSkip(text: string): Set<SectionName | 'baseline'> {
  const known: readonly string[] = [...SECTION_NAMES, 'baseline'];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !known.includes(n));
  if (bad.length > 0)
    throw new VigilError('E_BENCH_ARGS', `--skip ${bad.join(',')}: expected some of ${known.join(', ')}`);
  return new Set(names as (SectionName | 'baseline')[]);
}

function parseSize(text: string): { series: number; points: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  const series = Number(m?.[1]),
    points = Number(m?.[2]);
  if (!m || !(series > 0) || !(points > 0))
    throw new VigilError('E_BENCH_ARGS', `--throughput ${text}: expected SERIESxPOINTS, e.g. 1000x1000`);
  return { series, points };
}

async function timed<T>(name: string, stderr: NodeJS.WritableStream, run: () => Promise<T>): Promise<Section<T>> {
  const started = performance.now();
  stderr.write(`bench all: ${name}...\n`);
  try {
    const result = await run();
    const wallSeconds = (performance.now() - started) / 1000;
    stderr.write(`bench all: ${name} done in ${wallSeconds.toFixed(1)} s\n`);
    return { status: 'ok', wallSeconds, result };
  } catch (err) {
    if (!(err instanceof VigilError)) throw err;
    stderr.write(`bench all: ${name} failed: ${err.message} [${err.code}]\n`);
    return { status: 'failed', reason: `${err.message} [${err.code}]` };
  }
}

/** Skipped when asked to, or when its directory is absent (the message names it and the flag that moves it). */
async function gate(
  name: SectionName,
  skip: Set<string>,
  dir: string | null,
  flag: string,
  stderr: NodeJS.WritableStream,
): Promise<Section<never> | null> {
  if (skip.has(name)) return { status: 'skipped', reason: '--skip' };
  if (dir !== null && !(await isDir(dir))) {
    const reason = `directory ${dir} not found (pass ${flag} DIR, or --skip ${name})`;
    stderr.write(`bench all: ${name} skipped: ${reason}\n`);
    return { status: 'skipped', reason };
  }
  return null;
}

export async function runAll(
  o: AllOptions,
  deps: BenchDeps,
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<AllReport> {
  const started = performance.now();
  const skip = parseSkip(o.skip);
  const size = parseSize(o.throughput);
  const all = await deps.detectors();
  const [main] = pickFactories(all, o.detector, false) as [DetectorFactory];
  const base = skip.has('baseline')
    ? undefined
    : [all.main, ...all.ablation].find((f) => f.name === o.baseline && f !== main);
  if (!skip.has('baseline') && !base)
    stderr.write(`bench all: no baseline detector "${o.baseline}" besides ${main.name}; baseline column left empty\n`);
  const pair = base ? [main, base] : [main];

  const nab =
    (await gate('nab', skip, o.nab, '--nab', stderr)) ??
    (await timed('nab', stderr, () => nabSection(o.nab, pair, stderr)));
  const kpi =
    (await gate('kpi', skip, o.kpi, '--kpi', stderr)) ??
    (await timed('kpi', stderr, () => kpiSection(o.kpi, pair, stderr)));
  let scenarios: Section<ScenarioSection> | null = await gate('scenarios', skip, o.scenarios, '--scenarios', stderr);
  const names = scenarios ? [] : await scenarioDirs(o.scenarios);
  if (!scenarios && names.length === 0) {
    const reason = `no scenario directories (<name>/truth.json) in ${o.scenarios}`;
    stderr.write(`bench all: scenarios skipped: ${reason}\n`);
    scenarios = { status: 'skipped', reason };
  }
  scenarios ??= await timed('scenarios', stderr, () => scenarioSection(o.scenarios, names, stderr));
  const simulated =
    (await gate('simulated', skip, null, '', stderr)) ??
    (await timed('simulated', stderr, () =>
      runSimulated({ first: 1, seeds: o.seeds, duration: '1d', services: '4' }, stderr),
    ));
  const throughput =
    (await gate('throughput', skip, null, '', stderr)) ??
    (await timed('throughput', stderr, async () => runThroughput({ factory: main, ...size, seed: 1 })));
  return {
    detector: main.name,
    baseline: base?.name ?? null,
    nab,
    kpi,
    scenarios,
    simulated,
    throughput,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

export function register(bench: Command, deps: BenchDeps): void {
  bench
    .command('all')
    .description('NAB, KPI, the deploy-attribution scenarios, the simulated scenarios and throughput, side by side')
    .option('--nab <dir>', 'NAB-layout developer set', '../shared/nab')
    .option('--kpi <dir>', 'KPI corpus (series/*.csv.gz)', '../shared/kpi')
    .option(
      '--scenarios <dir>',
      'deploy-attribution scenarios (<name>/metrics, deployments.json, truth.json)',
      '../shared/scenarios',
    )
    .option('--seeds <n>', 'simulated scenarios (seeds 1..n, one simulated day each)', positiveInt, 16)
    .option('--detector <name>', 'main detector for NAB, KPI and throughput (default: the main detector)')
    .option('--baseline <name>', 'detector beside it on NAB and KPI', 'robust-mad')
    .option('--throughput <SxP>', 'throughput workload: series x points', '1000x1000')
    .option('--skip <list>', `comma-separated: ${[...SECTION_NAMES, 'baseline'].join(', ')}`, '')
    .option('--json', 'end stdout with one JSON object')
    .action(async (o: AllOptions) => {
      const stderr = deps.stderr ?? process.stderr;
      const report = await runAll(o, deps, stderr);
      (deps.stdout ?? process.stdout).write(o.json ? `${JSON.stringify(report)}\n` : `${allTable(report)}\n`);
      if (SECTION_NAMES.some((n) => report[n].status === 'failed')) process.exitCode = 1;
    });
}
