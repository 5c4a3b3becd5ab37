/**
 * Prometheus as a MetricSource: one SourceQuery per configured PromQL.
 * `fetch` reads /api/v1/query_range over [from, to) at the query's step and
 * returns one Series per label set. Effects: HTTP requests only.
 * Failure modes: E_PROMETHEUS_OPTIONS (bad options, at creation),
 * E_PROMETHEUS_QUERY (a query this source cannot serve, or Prometheus'
 * own error), E_PROMETHEUS_UNAVAILABLE (retryable), E_PROMETHEUS_RESPONSE;
 * see http.ts. An aborted signal rejects with the signal's reason.
 */
import { VigilError } from '../../domain/index.js';
import type { Series, TimeRange } from '../../domain/index.js';
import type { MetricSource, SourceQuery } from '../types.js';
import { SOURCE_ID, describeZod, generatedQueryId, parsePrometheusOptions, queryParamsSchema } from './options.js';
import type { PrometheusOptions, QueryParams } from './options.js';
import { connect, queryRange } from './http.js';
import { mergeSeries, toSeries } from './response.js';

export interface PrometheusDeps {
  /** injected for tests; the global fetch otherwise */
  readonly fetch?: typeof fetch;
}

/** Prometheus refuses more than 11,000 points per series; stay under it and split longer ranges. */
export const MAX_POINTS_PER_REQUEST = 10_000;

function parseQuery(query: SourceQuery): QueryParams {
  if (query.sourceId !== SOURCE_ID) {
    throw new VigilError(
      'E_PROMETHEUS_QUERY',
      `prometheus cannot serve a query of source "${query.sourceId}" (${query.id})`,
    );
  }
  const r = queryParamsSchema.safeParse(query.params);
  if (!r.success) throw new VigilError('E_PROMETHEUS_QUERY', `prometheus query ${query.id}: ${describeZod(r.error)}`);
  return r.data;
}

/**
 * Sample times Prometheus evaluates: multiples of the step inside [from, to),
 * so repeated fetches of adjacent windows line up and never overlap.
 * Null when the window holds no step.
 */
export function alignedSteps(range: TimeRange, stepSeconds: number): { first: number; last: number } | null {
  const stepMs = stepSeconds * 1000;
  const first = Math.ceil(range.from / stepMs) * stepMs;
  const last = Math.ceil(range.to / stepMs) * stepMs - stepMs;
  return first <= last ? { first, last } : null;
}

export function createPrometheusSource(opts: PrometheusOptions, deps: PrometheusDeps = {}): MetricSource {
  const o = parsePrometheusOptions(opts);
  const conn = connect(o.url, o.auth, o.timeoutMs, deps.fetch ?? globalThis.fetch);
  const queries: SourceQuery[] = o.queries.map((q) => {
    const id = q.id ?? generatedQueryId(q.promql);
    // Without an id, a series without __name__ is named by its PromQL: readable, and stable across restarts.
    const params: QueryParams = {
      promql: q.promql,
      stepSeconds: q.stepSeconds,
      metric: q.id ?? q.promql,
      ...(q.service !== undefined ? { service: q.service } : {}),
      ...(q.serviceLabel !== undefined ? { serviceLabel: q.serviceLabel } : {}),
    };
    return { sourceId: SOURCE_ID, id, params };
  });

  return {
    id: SOURCE_ID,
    // The scheduler pulls at the finest configured step; coarser queries simply get fewer points.
    stepMs: Math.min(...o.queries.map((q) => q.stepSeconds)) * 1000,
    async queries(): Promise<SourceQuery[]> {
      return queries;
    },
    async fetch(query: SourceQuery, range: TimeRange, signal?: AbortSignal): Promise<Series[]> {
      signal?.throwIfAborted();
      const p = parseQuery(query);
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) {
        throw new VigilError(
          'E_PROMETHEUS_QUERY',
          `prometheus query ${query.id}: range must be finite, got [${range.from}, ${range.to})`,
        );
      }
      const steps = alignedSteps(range, p.stepSeconds);
      if (!steps) return [];
      const stepMs = p.stepSeconds * 1000;
      const chunkMs = stepMs * MAX_POINTS_PER_REQUEST;
      const parts: Series[] = [];
      // Chunks run in order so an error leaves no half-merged result behind.
      for (let start = steps.first; start <= steps.last; start += chunkMs) {
        const end = Math.min(start + chunkMs - stepMs, steps.last);
        const matrix = await queryRange(
          conn,
          {
            queryId: query.id,
            promql: p.promql,
            start: start / 1000,
            end: end / 1000,
            stepSeconds: p.stepSeconds,
          },
          signal,
        );
        // Keep each chunk to its own [start, end] so a server answering outside it cannot duplicate points.
        parts.push(...toSeries(matrix, p, { from: start, to: end + 1 }));
      }
      return mergeSeries(parts);
    },
  };
}
