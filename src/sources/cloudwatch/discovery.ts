/**
 * Discovery: ListMetrics per configured rule, all NextToken pages, turned
 * into MetricSpecs. `Discoverer.metrics()` serves the cached list until
 * `intervalMs` has passed since the last successful run, then lists again,
 * so new instances join and gone ones leave within one interval.
 * Effects: ListMetrics calls through `client`.
 * Failure modes: errors.ts codes (throttling retried); a failed refresh
 * throws and keeps the old cache for the next try.
 */
import type { CloudWatchClient, ListMetricsCommandInput } from '@aws-sdk/client-cloudwatch';
import { callWithRetry } from './errors.js';
import type { RetryDeps } from './errors.js';
import type { MetricSpec, ParsedCloudWatchOptions } from './options.js';
import { cloudWatchSdk } from './sdk.js';

export type DiscoveryRule = ParsedCloudWatchOptions['discovery'][number];
export interface DiscoveredSpec {
  readonly spec: MetricSpec;
  readonly periodSeconds: number;
}

export function listInput(rule: DiscoveryRule): ListMetricsCommandInput {
  const filters = Object.entries(rule.dimensionFilters ?? {});
  return {
    Namespace: rule.namespace,
    ...(rule.metricName ? { MetricName: rule.metricName } : {}),
    ...(filters.length > 0
      ? { Dimensions: filters.map(([Name, Value]) => (Value === null ? { Name } : { Name, Value })) }
      : {}),
    ...(rule.recentlyActiveOnly ? { RecentlyActive: 'PT3H' as const } : {}),
  };
}

async function listRule(
  client: CloudWatchClient,
  rule: DiscoveryRule,
  retry: RetryDeps,
  signal?: AbortSignal,
): Promise<DiscoveredSpec[]> {
  const { ListMetricsCommand } = await cloudWatchSdk();
  const found: DiscoveredSpec[] = [];
  let token: string | undefined;
  do {
    const input = { ...listInput(rule), ...(token ? { NextToken: token } : {}) };
    const out = await callWithRetry(
      'ListMetrics',
      () => client.send(new ListMetricsCommand(input), { abortSignal: signal }),
      retry,
      signal,
    );
    for (const m of out.Metrics ?? []) {
      if (!m.MetricName) continue;
      const dimensions: Record<string, string> = {};
      for (const d of m.Dimensions ?? []) if (d.Name && d.Value !== undefined) dimensions[d.Name] = d.Value;
      const fromDimension = rule.serviceFromDimension ? dimensions[rule.serviceFromDimension] : undefined;
      found.push({
        periodSeconds: rule.periodSeconds,
        spec: {
          namespace: m.Namespace ?? rule.namespace,
          metricName: m.MetricName,
          dimensions,
          statistic: rule.statistic,
          service: fromDimension ?? rule.namespace,
        },
      });
    }
    token = out.NextToken;
  } while (token);
  return found;
}

export class Discoverer {
  private cache: DiscoveredSpec[] | null = null;
  private lastRun = 0;

  constructor(
    private readonly client: () => Promise<CloudWatchClient>,
    private readonly rules: readonly DiscoveryRule[],
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly retry: RetryDeps,
  ) {}

  async metrics(signal?: AbortSignal): Promise<DiscoveredSpec[]> {
    if (this.rules.length === 0) return [];
    if (this.cache && this.now() - this.lastRun < this.intervalMs) return this.cache;
    const started = this.now();
    const all: DiscoveredSpec[] = [];
    for (const rule of this.rules) all.push(...(await listRule(await this.client(), rule, this.retry, signal)));
    this.cache = all;
    this.lastRun = started;
    return all;
  }
}
