/**
 * The metric sources the Config asks for (main.ts wires them): the ones
 * `vigil start` schedules, and the resolver that rebuilds a query's source
 * in whichever process runs its pull job. Also what polling and backfills
 * cost where a source has a metered API (CloudWatch GetMetricData).
 * Effects: none at construction; logPollingCost lists CloudWatch metrics.
 * Failure modes: E_SOURCE_UNKNOWN for a query no source here can serve.
 */
import type { Config } from '../config/index.js';
import { compileLinks } from '../correlate/index.js';
import type { TimeRange } from '../domain/index.js';
import { VigilError } from '../domain/errors.js';
import type { Logger } from '../observability/index.js';
import {
  createCloudWatchSource,
  createCloudWatchSourceFromQuery,
  estimateBackfill,
  estimateMonthlyCost,
} from '../sources/cloudwatch/index.js';
import type { MetricSource, SourceQuery } from '../sources/index.js';
import { createPrometheusSource } from '../sources/prometheus/index.js';
import { createPushSource, type PushSourceOptions } from '../sources/push/index.js';
import { createReplaySource, type ReplayOptions, type ReplaySource } from '../sources/replay/index.js';
import {
  createSimulator,
  createSimulatorFromQuery,
  type Simulator,
  type SimulatorOptions,
} from '../sources/simulator/index.js';
import type { Store } from '../store/index.js';

/** Queries carry what is needed to rebuild their source in any worker process. */
export function sourceResolver(store: Store, config: Config): (q: SourceQuery) => MetricSource {
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
    } else if (q.sourceId === 'replay' && typeof q.params.root === 'string')
      source = createReplaySource({ root: q.params.root });
    else throw new VigilError('E_SOURCE_UNKNOWN', `no source can serve query ${q.id} of source "${q.sourceId}"`);
    cache.set(key, source);
    return source;
  };
}

/** The push source's shards, with linked services kept in one shard. */
function pushOptions(config: Config): PushSourceOptions {
  const links = compileLinks(config.correlate.dependsOn);
  const services = [
    ...new Set([...Object.keys(config.correlate.dependsOn), ...Object.values(config.correlate.dependsOn).flat()]),
  ];
  return {
    shards: config.push.shards,
    batchSeries: config.push.batchSeries,
    links: { services, groupOf: (s) => links.groupOf(s) },
  };
}

/** The metric sources vigil.yaml configures, for `vigil start` and `vigil sources test`. */
export function configuredSources(config: Config, now: number, store?: Store): MetricSource[] {
  const sources: MetricSource[] = [];
  if (config.push.token && store) sources.push(createPushSource(store, pushOptions(config)));
  const sim = config.sources.simulator;
  if (sim?.enabled) {
    const day = 86_400_000;
    // A live fleet: the scenario starts at midnight UTC two days ago and runs for a month.
    sources.push(
      createSimulator({
        seed: sim.seed,
        services: sim.services,
        start: Math.floor(now / day) * day - 2 * day,
        durationMs: 30 * day,
      }),
    );
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
      const metrics = (await s.queries()).reduce(
        (n, q) => n + (Array.isArray(q.params.metrics) ? q.params.metrics.length : 0),
        0,
      );
      const cost = estimateMonthlyCost({ metrics, pollIntervalSeconds: config.worker.pullInterval / 1000 });
      log.info(
        { source: s.id, metrics, ...cost },
        `CloudWatch: polling ${metrics} metrics every ${config.worker.pullInterval / 1000}s costs about $${cost.usd.toFixed(2)} a month in GetMetricData`,
      );
    } catch (err) {
      log.warn({ source: s.id, err }, 'could not list CloudWatch metrics to estimate cost');
    }
  }
}

/** Upstream API calls a backfill of `range` in `chunkMs` chunks makes, where the source has a metered API. */
export function estimateApiCalls(
  source: MetricSource,
  queries: readonly SourceQuery[],
  range: TimeRange,
  chunkMs: number,
): number | null {
  if (source.id !== 'cloudwatch') return source.estimateCalls?.(queries, range, chunkMs) ?? null;
  let calls = 0;
  for (const q of queries) {
    const metrics = Array.isArray(q.params.metrics) ? q.params.metrics.length : 0;
    const periodSeconds = typeof q.params.periodSeconds === 'number' ? q.params.periodSeconds : 60;
    for (let t = range.from; t < range.to; t += chunkMs) {
      calls += estimateBackfill({
        metrics,
        sinceMs: t,
        nowMs: Math.min(t + chunkMs, range.to),
        periodSeconds,
      }).getMetricDataCalls;
    }
  }
  return calls;
}

/**
 * The sources of the two commands that drive the pipeline on virtual time
 * rather than from the Config: `vigil demo`'s seeded fleet (with its
 * ground truth) and `vigil backtest`'s recorded CSV files. Built here, like
 * every other source, so the root is the one place that constructs them.
 */
export function simulatedFleet(opts: SimulatorOptions): Simulator {
  return createSimulator(opts);
}

export function recordedMetrics(opts: ReplayOptions): ReplaySource {
  return createReplaySource(opts);
}
