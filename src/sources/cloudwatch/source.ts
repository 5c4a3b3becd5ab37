/**
 * CloudWatch as a MetricSource. `queries()` merges the configured metrics
 * with discovered ones (static entries win on the same series), groups them
 * by period and cuts each group, sorted by series key, into shards of up to
 * 500 metrics: one GetMetricData call per shard per poll, and shards spread
 * over workers. A query's params carry everything `fetch` needs, so any
 * instance built from the same options (or `createCloudWatchSourceFromQuery`)
 * can serve it. Credentials and region come from the SDK's default chain
 * unless `region` is set; tests inject a client.
 * Effects: ListMetrics (queries) and GetMetricData (fetch) calls.
 * Failure modes: E_CLOUDWATCH_OPTIONS at construction, E_CLOUDWATCH_QUERY for
 * params this source cannot serve, and the codes of errors.ts / budget.ts.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { VigilError, seriesKey } from '../../domain/index.js';
import type { Series, TimeRange } from '../../domain/index.js';
import type { MetricSource, SourceQuery } from '../types.js';
import { SlidingBudget } from './budget.js';
import { Discoverer } from './discovery.js';
import { cloudWatchSdk } from './sdk.js';
import { DEFAULT_RETRY, realSleep } from './errors.js';
import type { RetryDeps, RetryPolicy, Sleep } from './errors.js';
import { MAX_QUERIES_PER_CALL, SOURCE_ID, fetchQuery, metricName } from './fetch.js';
import { describeZod, parseCloudWatchOptions, queryParamsSchema } from './options.js';
import type { CloudWatchOptions, MetricSpec, QueryParams } from './options.js';

export interface CloudWatchDeps {
  readonly client?: CloudWatchClient;
  readonly now?: () => number;
  /** Backoff sleep; tests pass one that resolves at once. */
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly retry?: Partial<RetryPolicy>;
}

export function createCloudWatchSource(opts: CloudWatchOptions, deps: CloudWatchDeps = {}): MetricSource {
  const o = parseCloudWatchOptions(opts);
  const now = deps.now ?? Date.now;
  // Built lazily: constructing the SDK client resolves nothing, but there is no reason to pay for it unused.
  let client: Promise<CloudWatchClient> | undefined = deps.client && Promise.resolve(deps.client);
  const getClient = (): Promise<CloudWatchClient> =>
    (client ??= cloudWatchSdk().then(
      ({ CloudWatchClient }) => new CloudWatchClient(o.region ? { region: o.region } : {}),
    ));
  const retry: RetryDeps = {
    policy: { ...DEFAULT_RETRY, ...deps.retry },
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
  };
  const budget = new SlidingBudget(o.budget, now);
  const discoverer = new Discoverer(getClient, o.discovery, o.discoveryIntervalSeconds * 1000, now, retry);
  const periods = [...o.queries.map((q) => q.periodSeconds), ...o.discovery.map((d) => d.periodSeconds)];

  return {
    id: SOURCE_ID,
    stepMs: (periods.length > 0 ? Math.min(...periods) : 60) * 1000,
    async queries(): Promise<SourceQuery[]> {
      const byPeriod = new Map<number, Map<string, MetricSpec>>();
      const add = (spec: MetricSpec, period: number): void => {
        const key = seriesKey(SOURCE_ID, metricName(spec), spec.dimensions);
        const group = byPeriod.get(period) ?? new Map<string, MetricSpec>();
        byPeriod.set(period, group);
        if ([...byPeriod.values()].some((g) => g.has(key))) return;
        group.set(key, spec);
      };
      for (const q of o.queries) {
        add(
          {
            ...(q.id ? { id: q.id } : {}),
            namespace: q.namespace,
            metricName: q.metricName,
            dimensions: q.dimensions ?? {},
            statistic: q.statistic,
            service: q.service ?? q.namespace,
          },
          q.periodSeconds,
        );
      }
      for (const d of await discoverer.metrics()) add(d.spec, d.periodSeconds);
      const out: SourceQuery[] = [];
      for (const [period, group] of [...byPeriod.entries()].sort((a, b) => a[0] - b[0])) {
        const specs = [...group.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, s]) => s);
        for (let i = 0, n = 0; i < specs.length; i += MAX_QUERIES_PER_CALL, n++) {
          const params: QueryParams = {
            ...(o.region ? { region: o.region } : {}),
            periodSeconds: period,
            lateWindowSeconds: o.lateWindowSeconds,
            budget: o.budget,
            metrics: specs.slice(i, i + MAX_QUERIES_PER_CALL),
          };
          out.push({ sourceId: SOURCE_ID, id: `${SOURCE_ID}:${period}s:${n}`, params });
        }
      }
      return out;
    },
    async fetch(query: SourceQuery, range: TimeRange, signal?: AbortSignal): Promise<Series[]> {
      signal?.throwIfAborted();
      if (query.sourceId !== SOURCE_ID) {
        throw new VigilError(
          'E_CLOUDWATCH_QUERY',
          `cloudwatch cannot serve a query of source "${query.sourceId}" (${query.id})`,
        );
      }
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to < range.from) {
        throw new VigilError(
          'E_CLOUDWATCH_QUERY',
          `cloudwatch query ${query.id}: bad range [${range.from}, ${range.to})`,
        );
      }
      const params = queryParamsSchema.safeParse(query.params);
      if (!params.success)
        throw new VigilError('E_CLOUDWATCH_QUERY', `cloudwatch query ${query.id}: ${describeZod(params.error)}`);
      return fetchQuery(query.id, params.data, range, { client: await getClient(), budget, retry }, signal);
    },
  };
}

/**
 * Rebuilds a source able to serve `query` in a worker that has only the
 * query: region, late window and budget come from its params. Cache one per
 * distinct (region, budget) so the hourly budget is shared across shards.
 */
export function createCloudWatchSourceFromQuery(query: SourceQuery, deps: CloudWatchDeps = {}): MetricSource {
  const params = queryParamsSchema.safeParse(query.params);
  if (!params.success)
    throw new VigilError('E_CLOUDWATCH_QUERY', `cloudwatch query ${query.id}: ${describeZod(params.error)}`);
  const p = params.data;
  const first = p.metrics[0]!;
  return createCloudWatchSource(
    {
      ...(p.region ? { region: p.region } : {}),
      lateWindowSeconds: p.lateWindowSeconds,
      budget: p.budget,
      queries: [
        {
          namespace: first.namespace,
          metricName: first.metricName,
          statistic: first.statistic,
          periodSeconds: p.periodSeconds,
        },
      ],
    },
    deps,
  );
}
