/**
 * `vigil demo`: a seeded simulated fleet through the real pipeline, faster
 * than real time, on embedded defaults (in-memory PGlite, in-process queue)
 * unless DATABASE_URL / REDIS_URL are set. Prints incidents as they open and
 * resolve, then a summary against the simulator's ground truth, checks of
 * the posts included (bench/demo-checks.ts); with --json the last stdout line is
 * one JSON object. With SLACK_BOT_TOKEN and SLACK_CHANNEL set the same
 * incidents are also posted to Slack.
 */
import { Writable } from 'node:stream';
import { MultiBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { checkLines, summariseDemo, type DemoSummary } from '../bench/index.js';
import { formatDuration, parseDuration } from '../domain/duration.js';
import { VigilError } from '../domain/errors.js';
import { buildApp, simulatedFleet, slackSettings } from '../main.js';
import type { Store } from '../store/index.js';
import { createLogger } from '../observability/index.js';
import { driveVirtualTime } from '../sources/index.js';
import { configFromEnv, fail } from './context.js';
import { demoEvidence } from './demo-evidence.js';

/** Monday 2026-01-05 00:00 UTC: a fixed epoch keeps every run of a seed identical. */
const EPOCH = Date.UTC(2026, 0, 5);
const STEPS = 1440;
const TICK_STEPS = 60;
const HISTORY_STEPS = 1440;

export interface DemoOptions {
  seed: string;
  duration: string;
  services: string;
  speed?: string;
  json?: boolean;
}

/** Checks demo options (also used by `vigil bench scenarios`). */
export function parseOptions(o: DemoOptions) {
  const seed = Number(o.seed);
  const durationMs = parseDuration(o.duration);
  const services = Number(o.services);
  const speed = o.speed === undefined ? undefined : Number(o.speed);
  if (!Number.isSafeInteger(seed)) throw new VigilError('E_USAGE', `--seed ${o.seed}: expected an integer`);
  if (durationMs === null || durationMs < 30 * 60_000 || durationMs > 60 * 86_400_000)
    throw new VigilError('E_USAGE', `--duration ${o.duration}: expected a duration from 30m to 60d, e.g. 30m, 6h, 2d`);
  if (!Number.isInteger(services) || services < 1 || services > 12)
    throw new VigilError('E_USAGE', `--services ${o.services}: expected 1 to 12`);
  if (speed !== undefined && !(speed > 0))
    throw new VigilError('E_USAGE', `--speed ${o.speed}: expected a positive number (simulated seconds per second)`);
  // At least 1,440 samples a series whatever the span: detectors need history.
  const stepMs = Math.min(60_000, Math.max(1000, Math.floor(durationMs / STEPS / 1000) * 1000));
  return { seed, durationMs, services, speed, stepMs, json: o.json === true };
}

/** `notify`: also the configured notifiers (Slack, SNS) besides the console; benchmarks leave it off. */
export async function runDemo(
  o: ReturnType<typeof parseOptions>,
  { notify = false }: { notify?: boolean } = {},
): Promise<DemoSummary> {
  const interactive = !o.json && process.stderr.isTTY === true;
  // True while the bar is on screen: from create() to stop(); before and after, lines go straight to stdout.
  let barsLive = false;
  const bars = interactive
    ? new MultiBar(
        {
          format: ' {bar} {percentage}% | {sim} simulated | {incidents} incidents',
          hideCursor: true,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      )
    : null;
  const out = bars
    ? // MultiBar.log only buffers until its next timed redraw, which never comes while the demo runs
      // flat out, and stop() drops the buffer: redraw at once so each incident line shows as it happens.
      // Outside create()..stop(), an update() would start a redraw timer nothing stops, keeping the process alive.
      new Writable({
        write(chunk, _enc, cb) {
          if (barsLive) {
            bars.log(String(chunk));
            bars.update();
          } else process.stdout.write(chunk);
          cb();
        },
      })
    : o.json
      ? new Writable({
          write(_c, _e, cb) {
            cb();
          },
        })
      : process.stdout;
  let opened = 0;
  // The demo compresses time below 1-minute steps; incident timings are
  // compressed alike so a 30-minute demo behaves like a 30-hour day.
  const scale = o.stepMs / 60_000;
  const config = configFromEnv((c) => ({
    ...c,
    incidents: {
      ...c.incidents,
      confirmWithin: c.incidents.confirmWithin * scale,
      resolveAfter: c.incidents.resolveAfter * scale,
      flapWindow: c.incidents.flapWindow * scale,
      coOnsetWithin: c.incidents.coOnsetWithin * scale,
    },
    correlate: {
      ...c.correlate,
      lookback: c.correlate.lookback * scale,
      verdictWindow: c.correlate.verdictWindow * scale,
    },
  }));
  // The demo's own output is the story; logs only speak up for warnings unless asked.
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const slackChannel = notify ? (slackSettings(config)?.channel ?? null) : null;
  const app = await buildApp(config, {
    // No wall-clock compaction: the demo compacts between ticks (below), when no job runs.
    consume: ['pull', 'notify'],
    ephemeralStore: true,
    log,
    timeScale: scale,
    compactEveryMs: null,
    consoleOut: out,
    ...(notify ? {} : { consoleOnly: true }),
    onEvent: (e) => {
      if (e.kind === 'opened') opened++;
    },
  });
  try {
    const start = await freshStart(app.store);
    const sim = simulatedFleet({
      seed: o.seed,
      start,
      stepMs: o.stepMs,
      services: o.services,
      durationMs: o.durationMs,
    });
    const scenario = sim.scenario();
    const end = start + o.durationMs;
    if (!o.json) {
      out.write(
        `Simulating ${scenario.services.length - 1} services and the ${scenario.services.at(-1)?.name ?? 'database'} they share x ${scenario.services[0]?.metrics.length ?? 0} metrics for ${formatDuration(o.durationMs)} at ${formatDuration(o.stepMs)} steps ` +
          `(${scenario.deployments.length} deploys, ${scenario.incidents.length} injected anomalies), after warming the detectors on ${HISTORY_STEPS} steps of history; ` +
          `store: ${app.store.backend}, queue: ${app.queue.backend}` +
          `${slackChannel ? `; incidents are also posted to Slack (${slackChannel})` : ''}\n\n`,
      );
    }
    const bar = bars?.create(o.durationMs, 0, { sim: '0s', incidents: 0 });
    barsLive = bars !== null;
    const started = Date.now();
    // Like `vigil backfill` before going live: the detectors first learn from
    // HISTORY_STEPS of the same fleet's history (event-free, no incidents).
    const history = simulatedFleet({
      seed: o.seed,
      start: start - HISTORY_STEPS * o.stepMs,
      stepMs: o.stepMs,
      services: o.services,
      durationMs: 60_000,
    });
    // Between ticks no job runs: embedded PGlite reclaims dead rows and WAL here, or memory grows with every tick (a no-op on PostgreSQL).
    const compact = () => app.store.compact();
    await driveVirtualTime({
      sources: [history],
      queue: app.queue,
      from: start - HISTORY_STEPS * o.stepMs,
      to: start,
      tickMs: o.stepMs * 240,
      warmup: true,
      afterTick: compact,
    });
    await driveVirtualTime({
      sources: [sim],
      queue: app.queue,
      from: start,
      to: end,
      tickMs: o.stepMs * TICK_STEPS,
      speed: o.speed !== undefined ? o.speed : undefined,
      beforeTick: async (from, to) => {
        for (const d of scenario.deployments) {
          if (d.startedAt >= from && d.startedAt < to) await app.store.upsertDeployment(d);
        }
      },
      afterTick: async (to) => {
        await compact();
        bar?.update(to - start, { sim: formatDuration(to - start), incidents: opened });
      },
    });
    barsLive = false;
    bars?.stop();
    const incidents = (await app.store.listIncidents({ limit: 10_000 })).filter(
      (i) => i.openedAt >= start && i.openedAt < end,
    );
    const counts = await app.store.countAnomalies();
    const seconds = (Date.now() - started) / 1000;
    const points = Math.round(
      await pointsScored(app.metrics.registry.getSingleMetricAsString('vigil_points_ingested_total')),
    );
    const evidence = await demoEvidence(app, sim, incidents);
    return summariseDemo(scenario, incidents, { anomalies: counts, points, seconds }, end, evidence);
  } finally {
    barsLive = false;
    bars?.stop();
    await app.close();
  }
}

/**
 * The embedded demo store is new each run, so the demo starts at EPOCH. A
 * persistent database (DATABASE_URL) remembers earlier runs' cursors and
 * detector state: the fleet then continues on the first Monday after the
 * data already scored, so nothing is skipped as already seen.
 */
async function freshStart(store: Store): Promise<number> {
  const seen = await store.listCursors('simulator');
  const last = Math.max(EPOCH - 1, ...seen.map((c) => c.t));
  if (last < EPOCH) return EPOCH;
  const week = 7 * 86_400_000;
  return EPOCH + Math.ceil((last - EPOCH + 1) / week) * week;
}

async function pointsScored(text: Promise<string>): Promise<number> {
  let total = 0;
  for (const line of (await text).split('\n'))
    if (line.startsWith('vigil_points_ingested_total{')) total += Number(line.split(' ').pop());
  return total;
}

function printSummary(s: DemoSummary): void {
  const lines = [
    '',
    `Summary: ${s.points.toLocaleString('en')} points scored, ${s.anomalies} anomalies, ${s.incidents.length} incidents in ${s.seconds.toFixed(1)} s`,
    '',
    'Injected by the simulator (ground truth):',
  ];
  for (const e of s.injected) {
    const when = new Date(e.start).toISOString().slice(0, 16).replace('T', ' ');
    const cause = e.causedBy ? `after deploy ${e.causedBy}` : 'not caused by a deploy';
    lines.push(
      e.detectedBy
        ? `  ✔ ${when} ${e.service} ${e.kind} (${cause}) -> ${e.detectedBy}, opened ${e.delaySteps} step(s) after onset`
        : `  ✘ ${when} ${e.service} ${e.kind} (${cause}) -> missed`,
    );
  }
  const extra = s.incidents.filter((i) => i.matches === null);
  lines.push(
    '',
    extra.length === 0
      ? 'Every incident matches an injected event.'
      : `Incidents matching nothing injected (${extra.length}):`,
  );
  for (const i of extra)
    lines.push(
      `  ? ${i.openedAt.slice(0, 16).replace('T', ' ')} ${i.service} ${i.headline} (${i.anomalies} anomalies)`,
    );
  lines.push('', ...checkLines(s.checks));
  process.stdout.write(lines.join('\n') + '\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('Run a simulated fleet through the real pipeline, faster than real time (no services needed)')
    .option('--seed <n>', 'scenario seed', '1')
    .option('--duration <d>', 'simulated time span, 30m to 60d', '1d')
    .option('--services <n>', 'services in the fleet, 1 to 12', '4')
    .option('--speed <x>', 'simulated seconds per wall-clock second (default: as fast as possible)')
    .option('--json', 'print one JSON summary object as the last line')
    .action(async (raw: DemoOptions) => {
      try {
        const o = parseOptions(raw);
        const summary = await runDemo(o, { notify: true });
        if (o.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else printSummary(summary);
      } catch (err) {
        fail(err);
      }
    });
}
