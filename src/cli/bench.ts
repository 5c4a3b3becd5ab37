/**
 * `vigil bench nab` and `vigil bench throughput`.
 *
 * stdout: a human table, or with --json a table-free run whose LAST line is
 * one JSON object. stderr: a progress bar when stderr is a TTY, otherwise one
 * line per finished category. Detector factories are injected
 * (deps.detectors), so this file picks no implementation.
 *
 * Failure modes: VigilError E_BENCH_ARGS (unknown --detector, bad numbers),
 * plus whatever runNab/runThroughput throw; all go to the CLI's one handler.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { scoreScenarios, type ScenarioReport } from '../bench/scenarios.js';
import type { DemoSummary } from './demo-summary.js';
import { parseOptions, runDemo } from './demo.js';
import cliProgress from 'cli-progress';
import { VigilError } from '../domain/index.js';
import type { DetectorFactory } from '../detect/types.js';
import { nabJson, nabTable, runNab, runThroughput, throughputTable, type NabProgress } from '../bench/index.js';

export interface BenchDetectors {
  readonly main: DetectorFactory;
  readonly ablation: readonly DetectorFactory[];
}

export interface BenchDeps {
  readonly detectors: () => Promise<BenchDetectors>;
  /** defaults to process.stdout / process.stderr */
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** The chosen main detector first, then (with ablation) every other one. */
export function pickFactories(all: BenchDetectors, name: string | undefined, ablation: boolean): DetectorFactory[] {
  const everyone = [all.main, ...all.ablation];
  const main = name === undefined ? all.main : everyone.find((f) => f.name === name);
  if (!main) throw new VigilError('E_BENCH_ARGS', `unknown detector "${name}"; known: ${everyone.map((f) => f.name).join(', ')}`);
  return ablation ? [main, ...everyone.filter((f) => f !== main)] : [main];
}

function nabProgress(stderr: NodeJS.WritableStream & { isTTY?: boolean }): { onProgress: (p: NabProgress) => void; stop: () => void } {
  if (stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: stderr, format: 'NAB {bar} {value}/{total} files | {detector} {category}', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    let state: 'idle' | 'running' | 'stopped' = 'idle';
    return {
      onProgress: (p) => {
        if (state === 'idle') { bar.start(p.total, 0, { detector: p.detector, category: p.category }); state = 'running'; }
        bar.update(p.done, { detector: p.detector, category: p.category });
      },
      stop: () => {
        if (state === 'running') bar.stop();
        state = 'stopped';
      },
    };
  }
  return {
    onProgress: (p) => {
      const c = p.categoryDone;
      if (c) stderr.write(`nab ${p.detector} ${p.category}: ${c.files} files, ${c.rows} rows, ${c.seconds.toFixed(2)} s (${p.done}/${p.total} files)\n`);
    },
    stop: () => undefined,
  };
}

function scenarioTable(r: ScenarioReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `scenarios: ${r.seeds}`,
    `incident recall     ${pct(r.recall)} (${r.detected}/${r.injected} injected events)`,
    `incident precision  ${pct(r.precision)} (${r.matched}/${r.incidents} incidents)`,
    `top-1 attribution   ${pct(r.top1Accuracy)} (${r.top1}/${r.causedDetected} deploy-caused events detected)`,
    `false blame         ${pct(r.falseBlameRate)} (${r.falseBlamed}/${r.innocentIncidents} incidents with no deploy behind them)`,
    `median delay        ${r.medianDelaySamples ?? 'n/a'} samples after onset`,
    `duplicate pages     ${r.duplicates} (incidents covering an event an earlier incident covers)`,
    `inherited           ${r.inherited} of the detected events (covered only by an incident opened for another event)`,
  ].join('\n');
}

export function register(program: Command, deps: BenchDeps): void {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const bench = program.command('bench').description('Benchmarks: NAB accuracy, labelled scenarios and detector throughput');

  bench
    .command('nab')
    .description('Run detectors over a NAB-layout corpus, write NAB results files and score them')
    .requiredOption('--data <root>', 'NAB root holding data/ and labels/combined_windows.json')
    .requiredOption('--out <dir>', 'where <detector>/<category>/<detector>_<file>.csv go')
    .option('--detector <name>', 'detector to score as the main one (default: the main detector)')
    .option('--ablation', 'also score every other detector')
    .option('--raw', 'write raw scores, without the page-once policy NAB scoring assumes (for point-labelled corpora)')
    .option('--json', 'end stdout with one JSON object')
    .action(async (o: { data: string; out: string; detector?: string; ablation?: boolean; raw?: boolean; json?: boolean }) => {
      const factories = pickFactories(await deps.detectors(), o.detector, o.ablation === true);
      const progress = nabProgress(stderr);
      try {
        const run = await runNab({ dataRoot: o.data, outDir: o.out, factories, raw: o.raw === true, onProgress: progress.onProgress });
        progress.stop();
        stdout.write(o.json ? `${JSON.stringify(nabJson(run))}\n` : `${nabTable(run)}\n`);
      } finally {
        progress.stop();
      }
    });

  bench
    .command('scenarios')
    .description('Run labelled simulator scenarios through the real pipeline; score incidents, attribution and delay')
    .option('--seeds <n>', 'scenarios (seeds 1..n)', positiveInt, 10)
    .option('--first <k>', 'first seed to run (seeds k..n): score held-out seeds on their own', positiveInt, 1)
    .option('--duration <d>', 'simulated span of each scenario', '1d')
    .option('--services <n>', 'services per scenario', '4')
    .option('--json', 'end stdout with one JSON object')
    .action(async (o: { seeds: number; first: number; duration: string; services: string; json?: boolean }) => {
      if (o.first > o.seeds) throw new VigilError('E_BENCH_ARGS', `--first ${o.first} is beyond --seeds ${o.seeds}`);
      const runs: DemoSummary[] = [];
      for (let seed = o.first; seed <= o.seeds; seed++) {
        const run = await runDemo(parseOptions({ seed: String(seed), duration: o.duration, services: o.services, json: true }));
        const caught = run.injected.filter((e) => e.detectedBy).length;
        stderr.write(`scenario ${seed}/${o.seeds}: ${caught}/${run.injected.length} injected events caught, ${run.incidents.length} incidents, ${run.seconds.toFixed(1)} s\n`);
        runs.push(run);
      }
      const report = scoreScenarios(runs);
      stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${scenarioTable(report)}\n`);
    });

  bench
    .command('throughput')
    .description('Feed synthetic series to a detector on one core; report points/s, memory and state size')
    .requiredOption('--series <n>', 'number of series', positiveInt)
    .requiredOption('--points <m>', 'points per series', positiveInt)
    .option('--seed <s>', 'seed for the synthetic series', positiveInt, 1)
    .option('--detector <name>', 'detector to measure (default: the main detector)')
    .option('--json', 'end stdout with one JSON object')
    .action(async (o: { series: number; points: number; seed: number; detector?: string; json?: boolean }) => {
      const [factory] = pickFactories(await deps.detectors(), o.detector, false) as [DetectorFactory];
      const bar = stderr.isTTY
        ? new cliProgress.SingleBar({ stream: stderr, format: 'throughput {bar} {percentage}%', clearOnComplete: true }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(o.series * o.points, 0);
      let r;
      try {
        r = runThroughput({ factory, series: o.series, points: o.points, seed: o.seed, onProgress: (done) => bar?.update(done) });
      } finally {
        bar?.stop();
      }
      stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${throughputTable(r)}\n`);
    });
}
