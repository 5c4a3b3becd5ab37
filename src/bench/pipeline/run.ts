/**
 * `vigil bench pipeline`: N series x M minutes of one-minute data through the
 * real pipeline the caller started (a Harness: the service of `vigil start`,
 * and on PostgreSQL + Redis the `vigil worker` processes), in through the push
 * API, and measured from outside:
 * - points/s from the first push to every accepted point counted scored;
 * - CPU seconds (over the run) and peak RSS of every process, read from its
 *   metrics (vigil_process_cpu_seconds_total, ..._max_resident_memory_bytes);
 * - RSS of every process once per measured minute (..._resident_memory_bytes)
 *   and whether it levels off (memory.ts);
 * - latency from a point's arrival to its score being stored (latency.ts for
 *   how), and from an incident's confirming point's arrival to its 'opened'
 *   notify job;
 * - consistency: accepted = sent, no duplicates, scored = accepted, and every
 *   series' scored cursor at its last minute.
 * - the whole machine's busy CPU share over the measured minutes, which with
 *   paceMs 60,000 (live one-minute data) is what keeping up costs, the
 *   database servers included when they run on this machine.
 * With warmupMinutes, that much history per series goes first, many minutes
 * per request, and is scored before anything is measured: a fresh detector
 * alerts only after hours of history, so only a warmed-up run opens
 * incidents (1 series in 100 steps to 3x its level from the middle of the
 * measured minutes; data.ts).
 * Effects: HTTP requests to the harness; stops the harness before it
 * returns or throws. Failure modes: E_BENCH_ARGS (sizes), E_BENCH_PUSH
 * (push.ts), E_BENCH_STALLED when scoring makes no progress for stallMs.
 */
import { cpus, loadavg } from 'node:os';
import { VigilError } from '../../domain/errors.js';
import type { PushBody } from '../../sources/push/index.js';
import {
  benchSeries,
  historyBodies,
  minuteBodies,
  SERIES_PER_BODY,
  START_T,
  STEP_MS,
  valueGenerators,
} from './data.js';
import { fifoLatencies, summarise } from './latency.js';
import { minuteTraces, plateauOf, type MemorySample } from './memory.js';
import { pushMinute, type Arrival } from './push.js';
import { openedRecorder, type OpenedNotice } from './recorder.js';
import { usageOf, type Resumed, type Usage } from './scrape.js';
import type { Harness, PipelineBenchOptions, PipelineReport, StartHarness } from './types.js';

async function readUsage(h: Harness): Promise<Usage[]> {
  return Promise.all(h.processes.map(async (p) => usageOf(await p.metrics())));
}

function checkSizes(o: PipelineBenchOptions): void {
  for (const [name, v] of [
    ['series', o.series],
    ['minutes', o.minutes],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0)
      throw new VigilError('E_BENCH_ARGS', `--${name} must be a positive integer (got ${v})`);
  }
  const warmup = o.warmupMinutes ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0 || warmup > 10_000)
    throw new VigilError('E_BENCH_ARGS', `--warmup must be a whole number of minutes from 0 to 10000 (got ${warmup})`);
  if (o.series * (o.minutes + warmup) > 50_000_000)
    throw new VigilError(
      'E_BENCH_ARGS',
      `${o.series} x ${o.minutes + warmup} points is more than this benchmark holds (50 million)`,
    );
}

export async function runPipelineBench(o: PipelineBenchOptions, start: StartHarness): Promise<PipelineReport> {
  checkSizes(o);
  const warmup = o.warmupMinutes ?? 0;
  const series = benchSeries(o.series);
  const values = valueGenerators(o.seed, o.series);
  const total = o.series * o.minutes;
  const recorder = openedRecorder();
  const load0 = loadavg()[0] ?? 0;
  const h = await start(recorder.notifier);
  try {
    if (warmup > 0) {
      // History first, many minutes per request, scored before anything is measured.
      const bodies = historyBodies(series, values, warmup);
      await runPhase(h, o, o.series * warmup, [{ minute: -1, bodies }]);
      await h.whenIdle();
      recorder.clear();
    }
    const stepFrom = warmup + Math.ceil(o.minutes / 2);
    const steps = Array.from({ length: o.minutes }, (_, m) => ({
      minute: warmup + m,
      bodies: () => minuteBodies(series, values, warmup + m, stepFrom),
    }));
    const cpu0 = machineTimes();
    const { before, t0, arrivals, samples } = await runPhase(h, o, total, steps, o.paceMs ?? 0);
    const machine = busyShare(cpu0, machineTimes());
    const end = samples[samples.length - 1]!.at;
    await h.whenIdle(); // notify jobs of the last batches
    const after = await readUsage(h);
    const last = START_T + (warmup + o.minutes - 1) * STEP_MS;
    const complete = (await h.cursors.listCursors('push')).filter((c) => c.t === last).length;
    const accepted = arrivals.reduce((n, a) => n + a.accepted, 0);
    const duplicates = arrivals.reduce((n, a) => n + a.duplicates, 0);
    const scored = after.reduce((n, u) => n + u.scored, 0) - before.reduce((n, u) => n + u.scored, 0);
    const traces = minuteTraces(samples, o.series, o.minutes, h.processes.length);
    const processes = h.processes.map((p, i) => ({
      role: p.role,
      pid: p.pid,
      cpuSeconds: (after[i]?.cpuSeconds ?? 0) - (before[i]?.cpuSeconds ?? 0),
      gcSeconds: (after[i]?.gcSeconds ?? 0) - (before[i]?.gcSeconds ?? 0),
      peakRssBytes: after[i]?.peakRssBytes ?? 0,
      detectors: resumedDuring(before[i], after[i]),
      rssTraceBytes: traces[i] ?? [],
      memory: plateauOf(traces[i] ?? []),
    }));
    const cpuSeconds = processes.reduce((n, p) => n + p.cpuSeconds, 0);
    const seconds = (end - t0) / 1000;
    return {
      mode: h.mode,
      series: o.series,
      minutes: o.minutes,
      warmupMinutes: warmup,
      workers: h.processes.length - 1,
      points: { sent: total, accepted, duplicates },
      scored,
      seriesComplete: complete,
      scoredExactlyOnce: scored === accepted && accepted === total && complete === o.series,
      seconds,
      pointsPerSecond: seconds > 0 ? scored / seconds : 0,
      cpu: { seconds: cpuSeconds, perThousandPoints: scored > 0 ? (cpuSeconds / scored) * 1000 : 0 },
      processes,
      scoreLatency: summarise(
        fifoLatencies(
          arrivals.map((a) => ({ at: a.at, n: a.accepted })),
          samples,
        ),
      ),
      pushLatency: summarise(arrivals.map((a) => a.answeredAt - a.at)),
      notifyLatency: summarise(notifyLatencies(recorder.opened, arrivals, new Map(series.map((s, i) => [s.key, i])))),
      incidents: recorder.opened.length,
      compactEveryMs: h.compactEveryMs,
      loadAverage: [load0, loadavg()[0] ?? 0],
      paceMs: o.paceMs ?? 0,
      machineCpu: { cores: cpus().length, busyShare: machine },
    };
  } finally {
    await h.stop();
  }
}

interface Step {
  readonly minute: number;
  readonly bodies: readonly PushBody[] | (() => PushBody[]);
}

/** Busy and total CPU time of every core of the machine so far (ms). */
function machineTimes(): { busy: number; total: number } {
  let busy = 0,
    total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

const busyShare = (a: { busy: number; total: number }, b: { busy: number; total: number }): number =>
  b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;

/**
 * Pushes the steps in order (a step's bodies are built when it starts; step
 * k not before `paceMs` x k after the first, when paced) while sampling the
 * scored count, until `total` more points are scored than before.
 */
async function runPhase(h: Harness, o: PipelineBenchOptions, total: number, steps: readonly Step[], paceMs = 0) {
  const before = await readUsage(h);
  const base = before.reduce((n, u) => n + u.scored, 0);
  const t0 = Date.now();
  const arrivals: Arrival[] = [];
  let pushError: unknown = null;
  let pushed = 0;
  const pushing = (async () => {
    for (const [k, step] of steps.entries()) {
      const wait = t0 + k * paceMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const bodies = typeof step.bodies === 'function' ? step.bodies() : step.bodies;
      arrivals.push(
        ...(await pushMinute(h.url, h.pushToken, step.minute, bodies, o.pushConcurrency ?? 4, (a) => {
          pushed += a.accepted + a.duplicates;
        })),
      );
    }
  })().catch((err: unknown) => {
    pushError = err;
  });
  const samples = await watchScoring(
    h,
    { t0, total, base },
    () => pushed,
    () => pushError,
    o,
  );
  await pushing;
  if (pushError) throw pushError;
  return { before, t0, arrivals, samples };
}

/** Samples the scored count and RSS of every process until `total` points beyond `base` are scored; the samples, in time order. */
async function watchScoring(
  h: Harness,
  { t0, total, base }: { t0: number; total: number; base: number },
  pushed: () => number,
  failed: () => unknown,
  o: PipelineBenchOptions,
): Promise<Array<{ at: number } & MemorySample>> {
  const samples: Array<{ at: number } & MemorySample> = [];
  let lastChange = Date.now();
  let scored = 0;
  while (scored < total) {
    await new Promise((r) => setTimeout(r, o.sampleMs ?? 100));
    if (failed()) return [{ at: Date.now(), scored, rssBytes: [] }];
    const now = Date.now();
    const usage = await readUsage(h);
    const next = usage.reduce((n, u) => n + u.scored, 0) - base;
    if (next !== scored || pushed() < total) lastChange = now;
    scored = next;
    samples.push({ at: now, scored, rssBytes: usage.map((u) => u.rssBytes) });
    o.onProgress?.({ elapsedMs: now - t0, total, pushed: pushed(), scored });
    if (now - lastChange > (o.stallMs ?? 600_000)) {
      throw new VigilError(
        'E_BENCH_STALLED',
        `no point was scored for ${Math.round((now - lastChange) / 1000)} s with ${scored} of ${total} scored; see the service's and workers' logs`,
      );
    }
  }
  return samples;
}

/** Per incident: its 'opened' job's run time minus the arrival of the point it was confirmed at. */
function notifyLatencies(
  opened: readonly OpenedNotice[],
  arrivals: readonly Arrival[],
  index: ReadonlyMap<string, number>,
): number[] {
  const byBody = new Map(arrivals.map((a) => [`${a.minute}/${a.chunk}`, a.at]));
  const out: number[] = [];
  for (const n of opened) {
    const i = index.get(n.seriesKey);
    const at =
      i === undefined
        ? undefined
        : byBody.get(`${Math.round((n.t - START_T) / STEP_MS)}/${Math.floor(i / SERIES_PER_BODY)}`);
    if (at !== undefined) out.push(Math.max(0, n.at - at));
  }
  return out;
}

/** Detectors resumed from memory, from the store and new during the run. */
function resumedDuring(before: Usage | undefined, after: Usage | undefined): Resumed {
  const d = (k: keyof Resumed) => (after?.resumed[k] ?? 0) - (before?.resumed[k] ?? 0);
  return { memory: d('memory'), caughtUp: d('caughtUp'), store: d('store'), new: d('new') };
}
