/**
 * GetMetricData for one query: the metric list is split into calls of at most
 * 500 MetricDataQueries, each paged through NextToken with partial results
 * merged per id. The window is range.from minus the late window (CloudWatch
 * keeps revising recent periods, and the pipeline drops points it already
 * scored by time, so re-reading is safe), aligned to the period: start and
 * end are floored, so the still-open period at the end is left for the next
 * fetch. Points come back ascending, inside [from - late, to), plus the
 * period holding `from` (still open when the previous fetch ended).
 * Effects: AWS calls through `client`, counted by `budget`.
 * Failure modes: see errors.ts; E_CLOUDWATCH_BUDGET before any call when
 * the planned calls would pass the hourly budget.
 */
import type { CloudWatchClient, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { VigilError, seriesKey } from '../../domain/index.js';
import type { Point, Series, TimeRange } from '../../domain/index.js';
import type { SlidingBudget } from './budget.js';
import { callWithRetry, classifyAwsError } from './errors.js';
import type { RetryDeps } from './errors.js';
import type { MetricSpec, QueryParams } from './options.js';
import { cloudWatchSdk } from './sdk.js';

export const SOURCE_ID = 'cloudwatch';
/** GetMetricData accepts at most 500 MetricDataQueries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export const metricName = (m: MetricSpec): string => `${m.namespace}/${m.metricName}:${m.statistic}`;
export const refOf = (m: MetricSpec): Series['ref'] => ({
  key: seriesKey(SOURCE_ID, metricName(m), m.dimensions),
  source: SOURCE_ID,
  metric: metricName(m),
  service: m.service,
  labels: m.dimensions,
});

/** The aligned [StartTime, EndTime) a fetch of `range` asks AWS for, in ms. */
export function alignedWindow(
  range: TimeRange,
  periodSeconds: number,
  lateWindowSeconds: number,
): { from: number; start: number; end: number } {
  const p = periodSeconds * 1000;
  const from = range.from - lateWindowSeconds * 1000;
  return { from, start: Math.floor(from / p) * p, end: Math.floor(range.to / p) * p };
}

function toQuery(m: MetricSpec, id: string, period: number): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: m.namespace,
        MetricName: m.metricName,
        Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: m.statistic,
    },
  };
}

export interface FetchDeps {
  readonly client: CloudWatchClient;
  readonly budget: SlidingBudget;
  readonly retry: RetryDeps;
}

export async function fetchQuery(
  queryId: string,
  params: QueryParams,
  range: TimeRange,
  deps: FetchDeps,
  signal?: AbortSignal,
): Promise<Series[]> {
  signal?.throwIfAborted();
  const { GetMetricDataCommand } = await cloudWatchSdk();
  const { periodSeconds: period, metrics } = params;
  const win = alignedWindow(range, period, params.lateWindowSeconds);
  const ids = metrics.map((m, i) => m.id ?? `m${i}`);
  if (new Set(ids).size !== ids.length)
    throw new VigilError('E_CLOUDWATCH_QUERY', `cloudwatch query ${queryId}: duplicate metric ids`);
  const collected = new Map<string, Point[]>(ids.map((id) => [id, []]));
  if (win.end > win.start) {
    const batches: number[][] = [];
    for (let i = 0; i < metrics.length; i += MAX_QUERIES_PER_CALL) {
      batches.push(metrics.slice(i, i + MAX_QUERIES_PER_CALL).map((_, k) => i + k));
    }
    deps.budget.reserve(batches.length, metrics.length, queryId);
    for (const batch of batches) {
      const queries = batch.map((i) => toQuery(metrics[i]!, ids[i]!, period));
      let token: string | undefined;
      do {
        const input = {
          MetricDataQueries: queries,
          StartTime: new Date(win.start),
          EndTime: new Date(win.end),
          ScanBy: 'TimestampAscending' as const,
          ...(token ? { NextToken: token } : {}),
        };
        const out = await callWithRetry(
          'GetMetricData',
          () => deps.client.send(new GetMetricDataCommand(input), { abortSignal: signal }),
          deps.retry,
          signal,
        );
        deps.budget.record(queries.length);
        for (const r of out.MetricDataResults ?? []) collect(collected, r, queryId);
        token = out.NextToken;
      } while (token);
    }
  }
  // Also keep the period holding range.from: the previous fetch ended inside it, so its floored end left
  // that period out as still open. Filtering at win.from alone dropped it for good whenever the late
  // window was shorter than the cursor's offset into the period (e.g. no late window, or 5 min late
  // window with 15 min periods): found by test/sources/conformance.ts' seam test.
  const keepFrom = Math.min(win.from, Math.floor(range.from / (period * 1000)) * period * 1000);
  return metrics.map((m, i) => ({ ref: refOf(m), points: tidy(collected.get(ids[i]!) ?? [], keepFrom, range.to) }));
}

function collect(into: Map<string, Point[]>, r: MetricDataResult, queryId: string): void {
  if (r.StatusCode === 'Forbidden') {
    throw classifyAwsError(
      { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
      `GetMetricData (query ${queryId}, metric ${r.Id})`,
    );
  }
  if (r.StatusCode === 'InternalError') {
    throw new VigilError(
      'E_CLOUDWATCH_UNAVAILABLE',
      `cloudwatch GetMetricData (query ${queryId}): AWS reported an internal error for metric ${r.Id}`,
      true,
    );
  }
  const points = r.Id === undefined ? undefined : into.get(r.Id);
  if (!points) return;
  const ts = r.Timestamps ?? [];
  const vs = r.Values ?? [];
  for (let i = 0; i < ts.length && i < vs.length; i++) points.push({ t: ts[i]!.getTime(), v: vs[i]! });
}

/** Ascending, one point per timestamp (the later page wins), inside [from, to). */
function tidy(points: Point[], from: number, to: number): Point[] {
  const byTime = new Map<number, number>();
  for (const p of points) if (p.t >= from && p.t < to && Number.isFinite(p.v)) byTime.set(p.t, p.v);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
}
