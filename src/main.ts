/**
 * Composition root: Config -> adapters -> pipeline. The only place that
 * picks implementations (DESIGN.md). Commands ask for an App with the roles
 * they run and close it when done.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from './config/index.js';
import { maskSecrets } from './config/index.js';
import type { TimeRange } from './domain/index.js';
import { VigilError } from './domain/errors.js';
import { createEnsembleFactory, createRobustFactory, learnedSubModelFactory, loadLearnedModelSync } from './detect/index.js';
import { withPageOnce } from './detect/policy.js';
import type { DetectorFactory } from './detect/types.js';
import type { IncidentEvent } from './incidents/index.js';
import { configuredNotifiers, configuredSlackBot, slackSettings } from './notify/configured.js';
import type { Notifier } from './notify/index.js';
import { SLACK_NOTIFIER, unconfiguredRunner, type PlaybookRunner, type SlackBot } from './notify/slack/index.js';
import { deliver } from './stages/notify.js';
import { remediationFromConfig, type RemediationWiring } from './compose/remediation.js';
import { createLogger, createMetrics, createOutageLog, reportStalledJobs, type Logger, type Metrics } from './observability/index.js';
import { compileLinks } from './correlate/index.js';
import { notify, notifyVerdict, pull, type PipelineDeps } from './pipeline.js';
import { openQueue } from './queue/index.js';
import type { Queue } from './queue/types.js';
import { createCloudWatchSource, createCloudWatchSourceFromQuery, estimateBackfill, estimateMonthlyCost } from './sources/cloudwatch/index.js';
import { createPrometheusSource } from './sources/prometheus/index.js';
import { createPushSource, type PushSourceOptions } from './sources/push/index.js';
import { createReplaySource } from './sources/replay/index.js';
import { createSimulator, createSimulatorFromQuery } from './sources/simulator/index.js';
import { compileServiceRules, SourceHealth, type MetricSource, type SourceQuery } from './sources/index.js';
import { openStore, startCompaction } from './store/index.js';
import type { Store } from './store/types.js';

export interface AppOptions {
  /** Job kinds this process consumes. `vigil worker` runs pull only; notifiers live where their credentials are. */
  readonly consume: ReadonlyArray<'pull' | 'notify'>;
  /** Embedded store in memory instead of under dataDir (the demo starts clean). */
  readonly ephemeralStore?: boolean;
  /** Replaces the notifiers the config asks for (notify/configured.ts). */
  readonly notifiers?: readonly Notifier[];
  /** The console notifier among the configured ones (the demo's writes to its own stream); unused with `notifiers`. */
  readonly consoleNotifier?: Notifier;
  /** What the Run playbook button and `/vigil run` call (default: remediation is not configured). */
  readonly runner?: PlaybookRunner;
  readonly log?: Logger;
  readonly onEvent?: (e: IncidentEvent) => void;
  /** Simulated seconds per real second of operations (the demo compresses time); default 1. */
  readonly timeScale?: number;
  /** Replaces config `queue.prefix` (the Redis key prefix of the BullMQ queues): isolates test runs. */
  readonly queuePrefix?: string;
  /**
   * Wall-clock ms between compactions of an embedded store (store/compaction.ts),
   * default COMPACT_EVERY_MS; null for none (runs on a virtual clock compact between their ticks).
   * Unused on PostgreSQL, which vacuums and checkpoints by itself.
   */
  readonly compactEveryMs?: number | null;
}

/** Embedded PGlite reclaims dead rows and WAL only when compacted: at most five minutes of pulls' garbage at a time. */
export const COMPACT_EVERY_MS = 5 * 60_000;

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly queue: Queue;
  readonly deps: PipelineDeps;
  /** The Slack bot when Slack is configured, this process consumes notify jobs and its notifiers come from the config; `vigil start` serves it. */
  readonly slack: SlackBot | null;
  /** Playbooks and fixes, in processes that consume notify jobs while remediation.mode is not off. */
  readonly remediation: RemediationWiring | null;
  close(): Promise<void>;
}

/** Errors of a Redis connection that is down (ioredis reconnects and reports 'ready'), as opposed to errors of one command or job. */
function redisUnreachable(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN)$/.test(code))
    || /Connection is closed|connect ETIMEDOUT/i.test(err.message);
}

export function detectorFor(config: Config): DetectorFactory {
  if (config.detection.detector === 'robust-mad') return createRobustFactory();
  const { learned, refractory } = config.detection;
  // The forecaster's artifact is read once here; a missing or malformed one stops startup (E_MODEL_ARTIFACT).
  const subModels = learned === 'off' ? [] : [learnedSubModelFactory(loadLearnedModelSync(), learned === 'confirm' ? 'confirm' : 'likelihood')];
  // The score is the detector's; paging once per event (refractory points at most) is the policy applied to it here.
  const f = createEnsembleFactory({ params: { refractory }, subModels });
  return refractory > 0 ? withPageOnce(f, { ...f.pagePolicy!, refractory }) : f;
}

/** Queries carry what is needed to rebuild their source in any worker process. */
function sourceResolver(store: Store, config: Config): (q: SourceQuery) => MetricSource {
  const cache = new Map<string, MetricSource>();
  return (q) => {
    if (q.sourceId === 'cloudwatch' && config.sources.cloudwatch) return cloudWatchSource(config);
    if (q.sourceId === 'prometheus') return prometheusSource(config);
    const key = `${q.sourceId}|${JSON.stringify(q.params)}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let source: MetricSource;
    if (q.sourceId === 'simulator') source = createSimulatorFromQuery(q);
    else if (q.sourceId === 'push') source = createPushSource(store, pushOptions(config));
    else if (q.sourceId === 'cloudwatch') {
      // A worker without CloudWatch config: one instance per region/budget, shared by all shards.
      const { region, budget, lateWindowSeconds } = q.params;
      const shared = `cloudwatch|${JSON.stringify({ region, budget, lateWindowSeconds })}`;
      const existing = cache.get(shared);
      if (existing) return existing;
      source = createCloudWatchSourceFromQuery(q);
      cache.set(shared, source);
      return source;
    }
    else if (q.sourceId === 'replay' && typeof q.params.root === 'string') source = createReplaySource({ root: q.params.root });
    else throw new VigilError('E_SOURCE_UNKNOWN', `no source can serve query ${q.id} of source "${q.sourceId}"`);
    cache.set(key, source);
    return source;
  };
}

/** The push source's shards, with linked services kept in one shard. */
function pushOptions(config: Config): PushSourceOptions {
  const links = compileLinks(config.correlate.dependsOn);
  const services = [...new Set([...Object.keys(config.correlate.dependsOn), ...Object.values(config.correlate.dependsOn).flat()])];
  return { shards: config.push.shards, links: { services, groupOf: (s) => links.groupOf(s) } };
}

/** The metric sources vigil.yaml configures, for `vigil start` and `vigil sources test`. */
export function configuredSources(config: Config, now: number, store?: Store): MetricSource[] {
  const sources: MetricSource[] = [];
  if (config.push.token && store) sources.push(createPushSource(store, pushOptions(config)));
  const sim = config.sources.simulator;
  if (sim?.enabled) {
    const day = 86_400_000;
    // A live fleet: the scenario starts at midnight UTC two days ago and runs for a month.
    sources.push(createSimulator({ seed: sim.seed, services: sim.services, start: Math.floor(now / day) * day - 2 * day, durationMs: 30 * day }));
  }
  if (config.sources.replay) sources.push(createReplaySource({ root: config.sources.replay.root }));
  if (config.sources.cloudwatch) sources.push(cloudWatchSource(config));
  if (config.sources.prometheus) sources.push(prometheusSource(config));
  return sources;
}

/** Builds a source once per Config (so per process), or says which config it needs. */
function oncePerConfig(make: (c: Config) => MetricSource | null, missing: string): (c: Config) => MetricSource {
  const built = new WeakMap<Config, MetricSource>();
  return (config) => {
    const s = built.get(config) ?? make(config);
    if (!s) throw new VigilError('E_SOURCE_UNKNOWN', missing);
    built.set(config, s);
    return s;
  };
}

/**
 * One CloudWatch source per process, so its hourly API budget covers every
 * shard (a worker without the config rebuilds one from a query instead).
 */
const cloudWatchSource = oncePerConfig(
  (c) => (c.sources.cloudwatch ? createCloudWatchSource(c.sources.cloudwatch) : null),
  'CloudWatch is not configured in this process',
);

/**
 * Prometheus queries carry no URL or credentials (secrets stay out of job
 * payloads), so a worker serves them from its own configuration.
 */
const prometheusSource = oncePerConfig(
  (c) => (c.sources.prometheus ? createPrometheusSource(c.sources.prometheus) : null),
  'a Prometheus query reached a worker without sources.prometheus (or PROMETHEUS_URL) configured',
);

/** Logs what polling the configured metered sources will cost (CloudWatch GetMetricData). */
export async function logPollingCost(sources: readonly MetricSource[], config: Config, log: Logger): Promise<void> {
  for (const s of sources) {
    if (s.id !== 'cloudwatch') continue;
    try {
      const metrics = (await s.queries()).reduce((n, q) => n + (Array.isArray(q.params.metrics) ? q.params.metrics.length : 0), 0);
      const cost = estimateMonthlyCost({ metrics, pollIntervalSeconds: config.worker.pullInterval / 1000 });
      log.info({ source: s.id, metrics, ...cost }, `CloudWatch: polling ${metrics} metrics every ${config.worker.pullInterval / 1000}s costs about $${cost.usd.toFixed(2)} a month in GetMetricData`);
    } catch (err) {
      log.warn({ source: s.id, err }, 'could not list CloudWatch metrics to estimate cost');
    }
  }
}

/** Upstream API calls a backfill of `range` in `chunkMs` chunks makes, where the source has a metered API. */
export function estimateApiCalls(source: MetricSource, queries: readonly SourceQuery[], range: TimeRange, chunkMs: number): number | null {
  if (source.id !== 'cloudwatch') return source.estimateCalls?.(queries, range, chunkMs) ?? null;
  let calls = 0;
  for (const q of queries) {
    const metrics = Array.isArray(q.params.metrics) ? q.params.metrics.length : 0;
    const periodSeconds = typeof q.params.periodSeconds === 'number' ? q.params.periodSeconds : 60;
    for (let t = range.from; t < range.to; t += chunkMs) {
      calls += estimateBackfill({ metrics, sinceMs: t, nowMs: Math.min(t + chunkMs, range.to), periodSeconds }).getMetricDataCalls;
    }
  }
  return calls;
}

/** Re-renders an incident's Slack message after a person's action (silences do not apply); failures are logged. */
function slackRefresh(store: Store, notifiers: readonly Notifier[], log: Logger, recommend?: RemediationWiring['recommend']): (incidentId: string) => Promise<void> {
  const slack = notifiers.find((n) => n.name === SLACK_NOTIFIER);
  return async (incidentId) => {
    if (!slack) return;
    await deliver(store, slack, incidentId, 'updated', { ignoreSilences: true, ...(recommend ? { recommend } : {}) })
      .catch((err: unknown) => log.warn({ incident: incidentId, err }, 'could not re-render the incident\'s Slack message'));
  };
}

export async function buildApp(config: Config, opts: AppOptions): Promise<App> {
  const log = opts.log ?? createLogger(config.log.level);
  slackSettings(config); // a misconfiguration fails before anything opens
  const metrics = createMetrics();
  // Store and queue outages are logged once when they start and once when they end, whichever operation meets them.
  const outage = createOutageLog(log);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: opts.ephemeralStore && !config.databaseUrl ? 'memory://' : join(config.dataDir, 'pglite'),
    // A per-user cache, not dataDir: backtests and demos run anywhere and keep nothing in it.
    templateDir: join(homedir(), '.cache', 'vigil'),
    onError: (err) => outage.failed('store', { code: 'E_STORE_UNAVAILABLE', message: `idle database connection failed: ${err.message}` }),
    onWarning: (message) => log.warn(message),
    availability: { unavailable: (err) => outage.failed('store', err), available: () => outage.ok('store') },
  });
  let queue: Queue | null = null;
  const queuePrefix = opts.queuePrefix ?? config.queue.prefix;
  let notifiers: readonly Notifier[];
  let slack: SlackBot | null = null;
  let remediation: RemediationWiring | null = null;
  try {
    queue = await openQueue({
      redisUrl: config.redisUrl, concurrency: config.worker.concurrency, prefix: queuePrefix,
      onError: (err) => (redisUnreachable(err)
        ? outage.failed('queue', { code: 'E_QUEUE_UNAVAILABLE', message: err.message })
        : log.warn({ err }, 'queue error')),
      onReady: () => outage.ok('queue'),
    });
    notifiers = opts.notifiers ?? configuredNotifiers(config, { store, log, ...(opts.consoleNotifier ? { console: opts.consoleNotifier } : {}) });
    if (opts.consume.includes('notify')) {
      // Run progress goes to Slack threads only; the console and SNS get the incident events as before.
      remediation = await remediationFromConfig(config.remediation, { store, queue, log, notifiers: notifiers.map((n) => n.name), progressTo: [SLACK_NOTIFIER] });
      const runner = opts.runner ?? remediation?.runner ?? unconfiguredRunner;
      // Callers that pick their own notifiers (backtests, benchmarks) run no bot.
      if (!opts.notifiers) {
        slack = await configuredSlackBot(config, {
          store, log, now: Date.now, runner, refresh: slackRefresh(store, notifiers, log, remediation?.recommend), ...(remediation ? { recommend: remediation.recommend } : {}),
        });
      }
    }
  } catch (err) {
    await queue?.close();
    await store.close();
    throw err;
  }
  log.info({ store: store.backend, queue: queue.backend, ...(queue.backend === 'bullmq' ? { queuePrefix } : {}), databaseUrl: config.databaseUrl ? maskSecrets(config.databaseUrl) : null }, 'vigil ready');

  const deps: PipelineDeps = {
    store, queue, log, metrics,
    outage,
    resolveSource: sourceResolver(store, config),
    mapService: compileServiceRules(config.serviceRules),
    detectors: detectorFor(config),
    threshold: config.detection.threshold,
    policy: config.incidents,
    links: compileLinks(config.correlate.dependsOn),
    correlate: { lookback: config.correlate.lookback, verdictWindow: config.correlate.verdictWindow, minuteMs: 60_000 * (opts.timeScale ?? 1) },
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
    queue.process('pull', async (job) => {
      const sourceId = job.query.sourceId;
      try {
        await pull(job, deps);
      } catch (err) {
        // A store outage (the push source reads the store) is logged once by the store's outage log.
        if (err instanceof VigilError && err.code === 'E_STORE_UNAVAILABLE') throw err;
        const change = health.failed(sourceId, Date.now());
        if (change) log.error({ source: sourceId, query: job.query.id, err }, `source ${sourceId} is failing; its pulls are retried, other sources go on`);
        throw err;
      }
      const change = health.succeeded(sourceId);
      if (change) log.info({ source: sourceId, failures: change.failures }, `source ${sourceId} recovered`);
    }, { concurrency: config.worker.concurrency });
  }
  if (opts.consume.includes('notify')) {
    queue.process('notify', (job) => notify(job, deps), { concurrency: 1 });
    queue.process('verdict', (job) => notifyVerdict(job, deps), { concurrency: 1 });
    if (remediation) {
      const r = remediation;
      queue.process('remediate', (job) => r.execute(job), { concurrency: config.worker.concurrency });
      await r.resume().catch((err: unknown) => log.warn({ err }, 'could not look for approved remediation runs to resume'));
    }
  }
  const compactEveryMs = opts.compactEveryMs === undefined ? COMPACT_EVERY_MS : opts.compactEveryMs;
  const compaction = store.backend === 'pglite' && compactEveryMs !== null ? startCompaction(store, {
    everyMs: compactEveryMs,
    // The store reports every failure as a VigilError (store/errors.ts); anything else is a bug of ours.
    onFailure: (err) => log.warn({ code: err instanceof VigilError ? err.code : 'E_INTERNAL', err }, `compacting the embedded store failed; retried every ${Math.round(compactEveryMs / 1000)} s`),
    onRecovered: (failures) => log.info({ failures }, 'compacting the embedded store works again'),
  }) : null;
  return {
    config, log, metrics, store, queue, deps, slack, remediation,
    async close() {
      // First: a compaction in flight ends before the store closes.
      await compaction?.stop();
      await slack?.settled();
      await queue.close();
      await store.close();
    },
  };
}
