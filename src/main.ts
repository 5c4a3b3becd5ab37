/**
 * Composition root: Config -> adapters -> pipeline. The only place that
 * picks implementations (DESIGN.md); the parts it picks from sit beside it
 * in compose/ (sources, detectors, notifiers, remediation, what a service
 * and a worker serve), imported by this file alone. Commands ask for an App
 * with the roles they run, or for the service or worker they are, and close
 * or stop it when done.
 */
import { homedir } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { join } from 'node:path';
import type { Config } from './config/index.js';
import { maskSecrets } from './config/index.js';
import { VigilError } from './domain/errors.js';
import { LOAD, LOAD_DRIVEN } from './domain/direction.js';
import { compileLinks } from './correlate/index.js';
import type { Notifier } from './notify/index.js';
import type { SlackBot } from './notify/slack/index.js';
import { SLACK_NOTIFIER, unconfiguredRunner } from './notify/slack/types.js';
import {
  createLogger,
  createMetrics,
  createOutageLog,
  recoveryProbe,
  reportStalledJobs,
  type Logger,
} from './observability/index.js';
import { notify, notifyVerdict, pull, type PipelineDeps } from './pipeline.js';
import { autoCapacity, LiveDetectors } from './stages/index.js';
import { openQueue, type Queue } from './queue/index.js';
import { compileServiceRules, SourceHealth } from './sources/index.js';
import { openStore, startCompaction, type Store } from './store/index.js';
import { detectorFor } from './compose/detectors.js';
import { appNotifiers, configuredSlackBot, slackRefresh, slackServing, slackSettings } from './compose/notifiers.js';
import { remediationFromConfig, type RemediationWiring } from './compose/remediation.js';
import { checkWorkerConfig, serveService, serveWorker } from './compose/serve.js';
import { sourceResolver } from './compose/sources.js';
import type { App, AppOptions, Service, StartOptions, Worker } from './compose/types.js';

export type { App, AppOptions, Service, StartOptions, Worker } from './compose/types.js';
export type { RemediationWiring } from './compose/remediation.js';
export { detectorFor } from './compose/detectors.js';
export { slackServing, slackSettings } from './compose/notifiers.js';
export {
  configuredSources,
  estimateApiCalls,
  logPollingCost,
  recordedMetrics,
  simulatedFleet,
} from './compose/sources.js';
export { checkWorkerConfig } from './compose/serve.js';

/** Embedded PGlite reclaims dead rows and WAL only when compacted: at most five minutes of pulls' garbage at a time. */
export const COMPACT_EVERY_MS = 5 * 60_000;
/** PostgreSQL without autovacuum: the pushed-points queue turns over every minute, so it is vacuumed as often as autovacuum would. */
export const VACUUM_EVERY_MS = 60_000;

/**
 * How often this process compacts its store (null: never): PGlite always
 * (`asked`, else COMPACT_EVERY_MS); PostgreSQL only when it does not vacuum
 * by itself (`asked`, else VACUUM_EVERY_MS), said once in the log. `asked`
 * null: never (runs that compact between their own ticks).
 */
async function compactionPeriod(
  store: Store,
  asked: number | null | undefined,
  log: Pick<Logger, 'info'>,
): Promise<number | null> {
  if (asked === null) return null;
  if (store.backend === 'pglite') return asked ?? COMPACT_EVERY_MS;
  // Not known (the store is down): compacting a database that vacuums by itself costs little.
  if (await store.vacuumsItself().catch(() => false)) return null;
  const every = asked ?? VACUUM_EVERY_MS;
  log.info(
    `PostgreSQL's autovacuum is off: this process vacuums the tables pull jobs rewrite every ${Math.round(every / 1000)} s (the pushed-points queue would otherwise grow with every point ever pushed)`,
  );
  return every;
}

/** How often a process that saw the store go down checks whether it is back (recovery-probe.ts). */
const STORE_PROBE_MS = 5_000;

/** Errors of a Redis connection that is down (ioredis reconnects and reports 'ready'), as opposed to errors of one command or job. */
function redisUnreachable(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN)$/.test(code)) ||
    /Connection is closed|connect ETIMEDOUT/i.test(err.message)
  );
}

export async function buildApp(config: Config, opts: AppOptions): Promise<App> {
  const log = opts.log ?? createLogger(config.log.level);
  slackSettings(config); // a misconfiguration fails before anything opens
  const metrics = createMetrics();
  // Store and queue outages are logged once when they start and once when they end, whichever operation meets them.
  const outage = createOutageLog(log);
  // A process that noticed a store outage and then has no work still confirms (and logs) the recovery.
  let storeRef: Store | null = null;
  const storeProbe = recoveryProbe(
    () => outage.isDown('store'),
    () => storeRef?.ping() ?? Promise.resolve(),
    STORE_PROBE_MS,
  );
  const storeDown = (err: VigilError) => {
    outage.failed('store', err);
    storeProbe.kick();
  };
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: opts.ephemeralStore && !config.databaseUrl ? 'memory://' : join(config.dataDir, 'pglite'),
    // A per-user cache, not dataDir: backtests and demos run anywhere and keep nothing in it.
    templateDir: join(homedir(), '.cache', 'vigil'),
    onError: (err) =>
      storeDown(new VigilError('E_STORE_UNAVAILABLE', `idle database connection failed: ${err.message}`, true)),
    onWarning: (message) => log.warn(message),
    availability: { unavailable: storeDown, available: () => outage.ok('store') },
  });
  storeRef = store;
  let queue: Queue | null = null;
  const queuePrefix = opts.queuePrefix ?? config.queue.prefix;
  let notifiers: readonly Notifier[];
  let slack: SlackBot | null = null;
  let remediation: RemediationWiring | null = null;
  try {
    queue = await openQueue({
      redisUrl: config.redisUrl,
      concurrency: config.worker.concurrency,
      lanes: config.queue.lanes,
      prefix: queuePrefix,
      onError: (err) =>
        redisUnreachable(err)
          ? outage.failed('queue', { code: 'E_QUEUE_UNAVAILABLE', message: err.message })
          : log.warn({ err }, 'queue error'),
      onReady: () => outage.ok('queue'),
      onLanes: (owned, members, lanes) =>
        log.info(
          { lanes: owned, members },
          `pull lanes: this process takes ${owned.length} of ${lanes} (${members} scoring processes)`,
        ),
    });
    const chosen = await appNotifiers(config, opts, { store, log });
    notifiers = chosen.notifiers;
    if (opts.consume.includes('notify')) {
      // Run progress goes to Slack threads only; the console and SNS get the incident events as before.
      remediation = await remediationFromConfig(config.remediation, {
        store,
        queue,
        log,
        notifiers: notifiers.map((n) => n.name),
        progressTo: [SLACK_NOTIFIER],
      });
      const runner = opts.runner ?? remediation?.runner ?? unconfiguredRunner;
      // Callers that pick their own notifiers (backtests, benchmarks) or the console alone (the demo) run no bot.
      if (chosen.configured) {
        slack = await configuredSlackBot(config, {
          store,
          log,
          now: Date.now,
          runner,
          refresh: slackRefresh(store, notifiers, log, remediation?.recommend),
          ...(remediation ? { recommend: remediation.recommend } : {}),
        });
      }
    }
  } catch (err) {
    await queue?.close();
    await store.close();
    throw err;
  }
  const live = config.worker.liveDetectors;
  const liveCapacity = live === 'auto' ? autoCapacity(getHeapStatistics().heap_size_limit) : live;
  log.info(
    {
      store: store.backend,
      queue: queue.backend,
      ...(queue.backend === 'bullmq' ? { queuePrefix } : {}),
      databaseUrl: config.databaseUrl ? maskSecrets(config.databaseUrl) : null,
      liveDetectors: liveCapacity,
    },
    'vigil ready',
  );

  const deps: PipelineDeps = {
    store,
    queue,
    log,
    metrics,
    outage,
    resolveSource: sourceResolver(store, config),
    mapService: compileServiceRules(config.serviceRules),
    detectors: detectorFor(config),
    live: new LiveDetectors(liveCapacity),
    threshold: config.detection.threshold,
    loadSeries: new RegExp(config.detection.loadSeries ?? LOAD.source, 'i'),
    loadMetrics: new RegExp(config.detection.loadMetrics ?? LOAD_DRIVEN.source, 'i'),
    policy: config.incidents,
    links: compileLinks(config.correlate.dependsOn),
    correlate: {
      lookback: config.correlate.lookback,
      verdictWindow: config.correlate.verdictWindow,
      minuteMs: 60_000 * (opts.timeScale ?? 1),
    },
    notifiers,
    ...(remediation ? { recommend: remediation.recommend } : {}),
    onEvent: opts.onEvent,
  };
  // Pull failures are reported per source by `health` (once per outage);
  // other jobs' final failures are logged here.
  queue.onFailed((name, jobId, error) => {
    if (name !== 'pull') log.error({ job: name, jobId, err: error }, `${name} job failed after its last attempt`);
  });
  reportStalledJobs(queue, log, metrics);
  const health = new SourceHealth();
  if (opts.consume.includes('pull')) {
    queue.process(
      'pull',
      async (job) => {
        const sourceId = job.query.sourceId;
        try {
          await pull(job, deps);
        } catch (err) {
          // A store outage (the push source reads the store) is logged once by the store's outage log.
          if (err instanceof VigilError && err.code === 'E_STORE_UNAVAILABLE') throw err;
          const change = health.failed(sourceId, Date.now());
          if (change)
            log.error(
              { source: sourceId, query: job.query.id, err },
              `source ${sourceId} is failing; its pulls are retried, other sources go on`,
            );
          throw err;
        }
        const change = health.succeeded(sourceId);
        if (change) log.info({ source: sourceId, failures: change.failures }, `source ${sourceId} recovered`);
      },
      { concurrency: config.worker.concurrency },
    );
  }
  if (opts.consume.includes('notify')) {
    queue.process('notify', (job) => notify(job, deps), { concurrency: 1 });
    queue.process('verdict', (job) => notifyVerdict(job, deps), { concurrency: 1 });
    if (remediation) {
      const r = remediation;
      queue.process('remediate', (job) => r.execute(job), { concurrency: config.worker.concurrency });
      await r
        .resume()
        .catch((err: unknown) => log.warn({ err }, 'could not look for approved remediation runs to resume'));
    }
  }
  const compactEveryMs = await compactionPeriod(store, opts.compactEveryMs, log);
  const compaction =
    compactEveryMs !== null
      ? startCompaction(store, {
          everyMs: compactEveryMs,
          // The store reports every failure as a VigilError (store/errors.ts); anything else is a bug of ours.
          onFailure: (err) =>
            log.warn(
              { code: err instanceof VigilError ? err.code : 'E_INTERNAL', err },
              `compacting the store failed; retried every ${Math.round(compactEveryMs / 1000)} s`,
            ),
          onRecovered: (failures) => log.info({ failures }, 'compacting the store works again'),
        })
      : null;
  return {
    config,
    log,
    metrics,
    store,
    queue,
    deps,
    slack,
    remediation,
    async close() {
      storeProbe.stop();
      // First: a compaction in flight ends before the store closes.
      await compaction?.stop();
      await slack?.settled();
      await queue.close();
      await store.close();
    },
  };
}

/** Starts what `vigil start` runs and resolves once it listens (and Socket Mode is connected). */
export async function startService(config: Config, o: StartOptions = {}): Promise<Service> {
  const slackMode = slackServing(config);
  const app = await buildApp(config, {
    consume: o.consume ?? ['pull', 'notify'],
    ...(o.ephemeralStore ? { ephemeralStore: true } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.notifiers ? { notifiers: o.notifiers } : {}),
    ...(o.compactEveryMs !== undefined ? { compactEveryMs: o.compactEveryMs } : {}),
  });
  return serveService(app, config, slackMode);
}

/** Starts what `vigil worker` runs and resolves once it consumes jobs and its listener listens. */
export async function startWorker(config: Config, o: { readonly log?: Logger } = {}): Promise<Worker> {
  checkWorkerConfig(config);
  const app = await buildApp(config, { consume: ['pull'], ...(o.log ? { log: o.log } : {}) });
  return serveWorker(app, config);
}
