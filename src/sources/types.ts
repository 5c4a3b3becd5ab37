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
   * Optional, for a source that serves a backlog rather than a time range
   * (push): one bounded page of `fetch`, and what it left waiting. A pull
   * job takes pages until the backlog it found is served (src/pipeline.ts),
   * so a worker never holds every series' detector at once.
   */
  fetchPage?(query: SourceQuery, range: TimeRange): Promise<SourcePage>;
  /**
   * Optional: upstream API calls that fetching `range` for these queries in
   * chunks of `chunkMs` would make (for backfill estimates and budgets).
   * Sources without a metered API leave it out.
   */
  estimateCalls?(queries: readonly SourceQuery[], range: TimeRange, chunkMs: number): number;
}

/** A page of a backlog: its series, and what the query had waiting (PendingPage in store/types.ts). */
export interface SourcePage {
  readonly series: Series[];
  /** Series that had points waiting when the page was read, this page's included. */
  readonly pendingSeries: number;
  /** Something was left out of this page. */
  readonly more: boolean;
  /**
   * Every series of the page is registered in the store as given (its refs
   * were read from there), so the pull registers only those the service
   * rules change instead of upserting (and locking) every row again.
   */
  readonly registered?: boolean;
}
