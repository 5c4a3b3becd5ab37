/**
 * `vigil bench nab`, `scenarios` and `throughput`; `all` (bench-all.ts),
 * `calibration` (bench-calibration.ts) and `pipeline` (bench-pipeline.ts) are
 * registered here too.
 *
 * stdout: a human table, or with --json a table-free run whose LAST line is
 * one JSON object. stderr: a progress bar when stderr is a TTY, otherwise one
 * line per finished category. Detector factories are injected
 * (deps.detectors), so this file picks no implementation.
 *
 * Failure modes: VigilError E_BENCH_ARGS (unknown --detector, bad numbers),
 * plus whatever runNab/runThroughput throw; all go to the CLI's one handler.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { nabProgress, pickFactories, positiveInt, type BenchDeps } from './bench-deps.js';
import { runSimulated, scenarioTable } from './bench-sim.js';
import * as benchAll from './bench-all.js';
import * as benchCalibration from './bench-calibration.js';
import * as benchPipeline from './bench-pipeline.js';
import { VigilError } from '../domain/index.js';
import type { DetectorFactory } from '../detect/types.js';
import { nabJson, nabTable, runNab, runThroughput, throughputTable } from '../bench/index.js';

export { pickFactories, type BenchDeps, type BenchDetectors } from './bench-deps.js';

export function register(program: Command, deps: BenchDeps): void {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const bench = program
    .command('bench')
    .description('Benchmarks: NAB accuracy, labelled scenarios and detector throughput');

  bench
    .command('nab')
    .description('Run detectors over a NAB-layout corpus, write NAB results files and score them')
    .requiredOption('--data <root>', 'NAB root holding data/ and labels/combined_windows.json')
    .requiredOption('--out <dir>', 'where <detector>/<category>/<detector>_<file>.csv go')
    .option('--detector <name>', 'detector to score as the main one (default: the main detector)')
    .option('--ablation', 'also score every other detector')
    .option('--raw', 'write raw scores, without the page-once policy NAB scoring assumes (for point-labelled corpora)')
    .option('--json', 'end stdout with one JSON object')
    .action(
      async (o: {
        data: string;
        out: string;
        detector?: string;
        ablation?: boolean;
        raw?: boolean;
        json?: boolean;
      }) => {
        const factories = pickFactories(await deps.detectors(), o.detector, o.ablation === true);
        const progress = nabProgress(stderr);
        try {
          const run = await runNab({
            dataRoot: o.data,
            outDir: o.out,
            factories,
            raw: o.raw === true,
            onProgress: progress.onProgress,
          });
          progress.stop();
          stdout.write(o.json ? `${JSON.stringify(nabJson(run))}\n` : `${nabTable(run)}\n`);
        } finally {
          progress.stop();
        }
      },
    );

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
      const report = await runSimulated(o, stderr);
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
        ? new cliProgress.SingleBar(
            { stream: stderr, format: 'throughput {bar} {percentage}%', clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(o.series * o.points, 0);
      let r;
      try {
        r = runThroughput({
          factory,
          series: o.series,
          points: o.points,
          seed: o.seed,
          onProgress: (done) => bar?.update(done),
        });
      } finally {
        bar?.stop();
      }
      stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${throughputTable(r)}\n`);
    });

  benchAll.register(bench, deps);
  benchCalibration.register(bench, deps);
  benchPipeline.register(bench, deps);
}
