/**
 * `vigil bench pipeline --series N --minutes M [--workers K] [--json]`: the
 * real pipeline end to end (src/bench/pipeline/run.ts measures it). This
 * file composes what runs: the service of `vigil start` (startService) and,
 * when DATABASE_URL and REDIS_URL are both set, K `vigil worker` processes
 * that take its pull jobs; with neither set, the service alone on the
 * embedded defaults (PGlite in memory, in-process queue).
 * Isolation: a scratch database beside DATABASE_URL's and a queue prefix of
 * the run's own (both removed afterwards), so shared data and queues are
 * never touched. The push token is random and never printed.
 * stdout: a table, or with --json one JSON object. stderr: a progress bar on
 * a TTY, otherwise one line per tenth of the points scored and at least one
 * every 30 s.
 * Failure modes: E_BENCH_ARGS (only one of DATABASE_URL and REDIS_URL,
 * --workers without them, bad numbers), and those of runPipelineBench,
 * spawnWorkers and createScratchDatabase.
 */
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  runPipelineBench,
  type Harness,
  type PipelineProgress,
  type PipelineReport,
  type ProcessReport,
} from '../bench/pipeline/index.js';
import { spawnWorkers, type SpawnedWorker } from '../bench/pipeline/workers.js';
import { childProcessEnv, type Config } from '../config/index.js';
import { parseDuration, VigilError } from '../domain/index.js';
import type { Notifier } from '../notify/index.js';
import { createLogger } from '../observability/index.js';
import { removeQueuePrefix } from '../queue/index.js';
import { createScratchDatabase } from '../store/index.js';
import { positiveInt, type BenchDeps } from './bench-deps.js';
import { configFromEnv, fail } from './context.js';
import { COMPACT_EVERY_MS, startService } from '../main.js';

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

export interface PipelineCliOptions {
  readonly series: number;
  readonly minutes: number;
  readonly workers?: number;
  readonly seed: number;
  readonly warmup: number;
  readonly pullInterval: string;
  readonly stallAfter: string;
  /** the embedded store's compaction period (default: the service's, COMPACT_EVERY_MS) */
  readonly compactEvery?: string;
  /** wall-clock time between two measured minutes' pushes (default: none, as fast as the API answers) */
  readonly pace?: string;
}

/** Starts the service (and workers) for one run on `config`'s stores; `stop()` removes everything it created. */
export function harnessFor(
  config: Config,
  o: { readonly workers: number; readonly pullIntervalMs: number; readonly compactEveryMs?: number },
): (notifier: Notifier) => Promise<Harness> {
  return async (notifier) => {
    const run = `${process.pid}_${Date.now().toString(36)}`;
    const shared = config.databaseUrl !== null && config.redisUrl !== null;
    const scratch = shared ? await createScratchDatabase(config.databaseUrl!, `vigil_bench_${run}`) : null;
    const pushToken = randomBytes(24).toString('hex');
    const prefix = `vigil-bench-${run}`;
    const benchConfig: Config = {
      ...config,
      databaseUrl: scratch?.url ?? null,
      queue: { ...config.queue, prefix },
      http: { host: '127.0.0.1', port: 0 },
      push: { ...config.push, token: pushToken },
      worker: { ...config.worker, pullInterval: o.pullIntervalMs, metricsPort: 0 },
    };
    let service: Awaited<ReturnType<typeof startService>> | null = null;
    let workers: SpawnedWorker[] = [];
    const stop = async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await service?.stop();
      await scratch?.drop();
      if (shared) await removeQueuePrefix(config.redisUrl!, prefix);
    };
    try {
      service = await startService(benchConfig, {
        ephemeralStore: !shared,
        log: createLogger('warn'),
        notifiers: [notifier],
        // On PostgreSQL + Redis the workers score; this process schedules, takes pushes and runs notify jobs.
        consume: shared ? ['notify'] : ['pull', 'notify'],
        ...(o.compactEveryMs !== undefined ? { compactEveryMs: o.compactEveryMs } : {}),
      });
      if (shared) {
        // Workers read their config as any worker does; only the stores, the prefix and logging are the run's. No notifier settings:
        // notify jobs are queued for the console notifier, whose name the run's recorder takes.
        workers = await spawnWorkers(o.workers, {
          bin: BIN,
          env: childProcessEnv(
            { DATABASE_URL: scratch!.url, REDIS_URL: config.redisUrl!, VIGIL_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' },
            /^(NODE_OPTIONS|SLACK_|VIGIL_SNS_)/,
          ),
        });
      }
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }
    const app = service.app;
    return {
      mode: shared ? 'postgres+redis' : 'embedded',
      url: service.url,
      pushToken,
      compactEveryMs: shared ? null : (o.compactEveryMs ?? COMPACT_EVERY_MS),
      processes: [{ role: 'service', pid: process.pid, metrics: () => app.metrics.registry.metrics() }, ...workers],
      cursors: app.store,
      whenIdle: () => app.queue.whenIdle(),
      stop,
    };
  };
}

/** Which stores a run uses, from the config, or why the arguments do not fit. */
export function pipelineMode(
  config: Config,
  workers: number | undefined,
  compactEveryMs?: number,
): { shared: boolean; workers: number } {
  const shared = config.databaseUrl !== null && config.redisUrl !== null;
  if (!shared && (config.databaseUrl !== null || config.redisUrl !== null)) {
    throw new VigilError(
      'E_BENCH_ARGS',
      `bench pipeline: set both DATABASE_URL and REDIS_URL (PostgreSQL + Redis with worker processes) or neither (embedded); only ${config.databaseUrl ? 'DATABASE_URL' : 'REDIS_URL'} is set`,
    );
  }
  if (!shared && workers !== undefined) {
    throw new VigilError(
      'E_BENCH_ARGS',
      'bench pipeline: --workers needs DATABASE_URL and REDIS_URL (workers share PostgreSQL and Redis); the embedded run scores in one process',
    );
  }
  if (shared && compactEveryMs !== undefined) {
    throw new VigilError(
      'E_BENCH_ARGS',
      'bench pipeline: --compact-every applies to the embedded store; PostgreSQL vacuums and checkpoints by itself',
    );
  }
  return { shared, workers: shared ? (workers ?? 2) : 0 };
}

export async function runPipelineCli(
  o: PipelineCliOptions,
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<PipelineReport> {
  const pullIntervalMs = parseDuration(o.pullInterval);
  if (pullIntervalMs === null || pullIntervalMs < 10 || pullIntervalMs > 600_000) {
    throw new VigilError(
      'E_BENCH_ARGS',
      `--pull-interval "${o.pullInterval}": expected a duration from 10ms to 10m, such as 1s or 500ms`,
    );
  }
  const stallMs = parseDuration(o.stallAfter);
  if (stallMs === null || stallMs < 1000)
    throw new VigilError(
      'E_BENCH_ARGS',
      `--stall-after "${o.stallAfter}": expected a duration of at least 1s, such as 10m`,
    );
  const compactEveryMs = o.compactEvery === undefined ? undefined : parseDuration(o.compactEvery);
  if (compactEveryMs === null || (compactEveryMs !== undefined && compactEveryMs < 100))
    throw new VigilError(
      'E_BENCH_ARGS',
      `--compact-every "${o.compactEvery}": expected a duration of at least 100ms, such as 5s`,
    );
  const paceMs = o.pace === undefined ? 0 : parseDuration(o.pace);
  if (paceMs === null || paceMs > 3_600_000)
    throw new VigilError(
      'E_BENCH_ARGS',
      `--pace "${o.pace}": expected a duration up to 1h, such as 60s (live one-minute data)`,
    );
  const config = configFromEnv();
  const mode = pipelineMode(config, o.workers, compactEveryMs);
  const progress = pipelineProgress(stderr);
  try {
    return await runPipelineBench(
      {
        series: o.series,
        minutes: o.minutes,
        warmupMinutes: o.warmup,
        seed: o.seed,
        stallMs,
        paceMs,
        onProgress: progress.update,
      },
      harnessFor(config, {
        workers: mode.workers,
        pullIntervalMs,
        ...(compactEveryMs !== undefined ? { compactEveryMs } : {}),
      }),
    );
  } finally {
    progress.stop();
  }
}

function pipelineProgress(stderr: NodeJS.WritableStream & { isTTY?: boolean }): {
  update: (p: PipelineProgress) => void;
  stop: () => void;
} {
  if (stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr,
        format: 'pipeline {bar} {value}/{total} points scored | {pushed} pushed',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        if (!started) {
          bar.start(p.total, 0, { pushed: 0 });
          started = true;
        }
        bar.update(p.scored, { pushed: p.pushed });
      },
      stop: () => {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let tenth = 0;
  let lastLine = 0;
  return {
    update: (p) => {
      const now = Math.floor((p.scored / p.total) * 10);
      if (now <= tenth && p.elapsedMs - lastLine < 30_000) return;
      tenth = Math.max(tenth, now);
      lastLine = p.elapsedMs;
      stderr.write(
        `pipeline: ${p.scored}/${p.total} points scored, ${p.pushed} pushed, ${(p.elapsedMs / 1000).toFixed(0)} s\n`,
      );
    },
    stop: () => undefined,
  };
}

/** A process's garbage collection pauses as a share of its CPU time. */
function gcShare(p: ProcessReport): string {
  return p.cpuSeconds > 0 ? `${Math.round((100 * p.gcSeconds) / p.cpuSeconds)}%` : 'n/a';
}

/** Where a process's pull jobs found their detectors, when it ran any. */
function detectorsLine(d: ProcessReport['detectors']): string {
  const all = d.memory + d.caughtUp + d.store + d.new;
  if (all === 0) return '';
  const share = (n: number) => `${((100 * n) / all).toFixed(0)}%`;
  return `; detectors ${d.memory} from memory (${share(d.memory)}), ${d.caughtUp} caught up (${share(d.caughtUp)}), ${d.store} restored, ${d.new} new`;
}

export function pipelineTable(r: PipelineReport): string {
  const ms = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} ms`);
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  return [
    `pipeline (${r.mode}${r.workers ? `, ${r.workers} workers` : ''}): ${r.series} series x ${r.minutes} minutes${r.warmupMinutes ? ` after ${r.warmupMinutes} minutes of history` : ''}`,
    `points            ${r.points.accepted}/${r.points.sent} accepted, ${r.points.duplicates} duplicates, ${r.scored} scored; ${r.seriesComplete}/${r.series} series complete; exactly once: ${r.scoredExactlyOnce ? 'yes' : 'NO'}`,
    `throughput        ${Math.round(r.pointsPerSecond)} points/s end to end (${r.seconds.toFixed(1)} s)`,
    `cpu               ${r.cpu.seconds.toFixed(1)} s, ${r.cpu.perThousandPoints.toFixed(3)} s per 1,000 points`,
    ...r.processes.map(
      (p) =>
        `  ${p.role.padEnd(15)} ${p.cpuSeconds.toFixed(1)} s cpu (${gcShare(p)} GC pauses), peak RSS ${mb(p.peakRssBytes)} (pid ${p.pid})${detectorsLine(p.detectors)}`,
    ),
    `memory            ${r.processes.map((p) => `${p.role} ${plateauLine(p.memory)}`).join('; ')}${r.compactEveryMs === null ? '' : `; store compacted every ${(r.compactEveryMs / 1000).toFixed(1)} s`}`,
    `score latency     p50 ${ms(r.scoreLatency.p50Ms)}, p99 ${ms(r.scoreLatency.p99Ms)}, max ${ms(r.scoreLatency.maxMs)} (${r.scoreLatency.samples} points)`,
    `push request      p50 ${ms(r.pushLatency.p50Ms)}, p99 ${ms(r.pushLatency.p99Ms)} (${r.pushLatency.samples} requests of up to 1,000 points)`,
    `notify latency    p50 ${ms(r.notifyLatency.p50Ms)}, p99 ${ms(r.notifyLatency.p99Ms)} (${r.notifyLatency.samples} of ${r.incidents} incidents opened)`,
    `machine cpu       ${(r.machineCpu.busyShare * 100).toFixed(0)}% of ${r.machineCpu.cores} cores busy over the measured minutes${r.paceMs > 0 ? `, one minute of data every ${(r.paceMs / 1000).toFixed(1)} s` : ' (at saturation)'}`,
    `load average      ${r.loadAverage[0].toFixed(2)} at start, ${r.loadAverage[1].toFixed(2)} at end`,
  ].join('\n');
}

/** e.g. "RSS 25/50/75/100% 410/431/433/433 MB, +1.2 MiB/h over the second half" */
function plateauLine(m: PipelineReport['processes'][number]['memory']): string {
  if (m.rssAtBytes === null) return 'n/a';
  const growth =
    m.growthMiBPerHour === null ? 'n/a' : `${m.growthMiBPerHour >= 0 ? '+' : ''}${m.growthMiBPerHour.toFixed(1)}`;
  return `RSS 25/50/75/100% ${m.rssAtBytes.map((b) => (b / 1048576).toFixed(0)).join('/')} MB, ${growth} MiB/h over the second half`;
}

const wholeNumber = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return n;
};

export function register(bench: Command, deps: BenchDeps): void {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  bench
    .command('pipeline')
    .description(
      'N series x M minutes through the real pipeline (push API, scoring, incidents, notify jobs): points/s, CPU, memory, latency',
    )
    .requiredOption('--series <n>', 'number of series', positiveInt)
    .requiredOption('--minutes <m>', 'one-minute points per series', positiveInt)
    .option('--workers <k>', 'vigil worker processes (with DATABASE_URL and REDIS_URL; default 2)', positiveInt)
    .option('--seed <s>', 'seed of the synthetic values', positiveInt, 1)
    .option(
      '--warmup <minutes>',
      'minutes of history per series scored before the measured ones (incidents need a warm detector)',
      wholeNumber,
      0,
    )
    .option(
      '--pull-interval <d>',
      'how often the scheduler pulls pushed points (worker.pullInterval for the run)',
      '1s',
    )
    .option(
      '--stall-after <d>',
      'give up (E_BENCH_STALLED) when no point is scored for this long; one pull job serves up to 200,000 pushed points',
      '10m',
    )
    .option(
      '--compact-every <d>',
      'embedded store: compact (VACUUM + CHECKPOINT) this often instead of every 5m of wall time; a run pushes hours of data a minute, so 5m of wall time is days of data',
    )
    .option(
      '--pace <d>',
      'push one measured minute of data every <d> of wall time (60s: live one-minute data, to see what share of the machine keeping up takes); default: as fast as the API answers',
    )
    .option('--json', 'print one JSON object')
    .action(async (o: PipelineCliOptions & { json?: boolean }) => {
      try {
        const report = await runPipelineCli(o, stderr);
        stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${pipelineTable(report)}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
