import type { Series, SourceQuery, TimeRange } from '../domain/index.js';

export type { SourceQuery } from '../domain/index.js';

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
