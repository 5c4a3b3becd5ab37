/** Label set of a series (Prometheus labels, CloudWatch dimensions, ...). */
export type Labels = Readonly<Record<string, string>>;

/** One observation: `t` is epoch milliseconds (UTC), `v` a finite number or NaN for a gap. */
export interface Point {
  readonly t: number;
  readonly v: number;
}

/**
 * Identity of a metric stream. `key` is stable and unique across sources
 * (see `seriesKey`); `service` is what correlation and routing group by.
 */
export interface SeriesRef {
  readonly key: string;
  readonly source: string;
  readonly metric: string;
  readonly service: string;
  readonly labels: Labels;
}

export interface Series {
  readonly ref: SeriesRef;
  readonly points: readonly Point[];
}

export interface TimeRange {
  /** inclusive, epoch ms */
  readonly from: number;
  /** exclusive, epoch ms */
  readonly to: number;
}

/**
 * One unit of pulling: a shard of a source that one worker fetches and scores
 * in order. `params` are source-specific and JSON-serialisable, so a query
 * can travel inside a queue job to another process. Here, not in sources/,
 * because queue jobs carry it and sources/ enqueue those jobs.
 */
export interface SourceQuery {
  readonly sourceId: string;
  readonly id: string;
  /**
   * The query's index among its source's queries when the source splits its
   * series into several (push shards): pull jobs are spread over worker lanes
   * by it (queue/lanes.ts), evenly; without it, by a hash of the id.
   */
  readonly shard?: number;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Stable key: source, metric and labels sorted by name. */
export function seriesKey(source: string, metric: string, labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${source}:${metric}{${parts.join(',')}}`;
}

/** The metric a series key names (seriesKey: source ids hold no colon, metric names no brace). */
export function metricOfKey(key: string): string {
  const from = key.indexOf(':') + 1;
  const to = key.indexOf('{', from);
  return key.slice(from, to < 0 ? undefined : to);
}
