import type { Series, TimeRange } from '../domain/index.js';

/**
 * One unit of pulling: a shard of a source that one worker fetches and scores
 * in order. `params` are source-specific and JSON-serialisable, so a query
 * can travel inside a queue job to another process.
 */
export interface SourceQuery {
  readonly sourceId: string;
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Pull-only port: the scheduler owns time and cursors. `fetch` returns every
 * series of the query with its points in [range.from, range.to), ascending.
 * Failures are VigilErrors whose `retryable` says whether to try again.
 */
export interface MetricSource {
  readonly id: string;
  /** Sample spacing the source is configured for, in ms. */
  readonly stepMs: number;
  queries(): Promise<SourceQuery[]>;
  fetch(query: SourceQuery, range: TimeRange, signal?: AbortSignal): Promise<Series[]>;
  /**
   * Optional: upstream API calls that fetching `range` for these queries in
   * chunks of `chunkMs` would make (for backfill estimates and budgets).
   * Sources without a metered API leave it out.
   */
  estimateCalls?(queries: readonly SourceQuery[], range: TimeRange, chunkMs: number): number;
}
