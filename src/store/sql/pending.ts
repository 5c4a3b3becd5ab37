/**
 * The statement that lists a page of pending pushed points (pushed.ts
 * listPendingPushedPoints), in two forms that answer the same rows:
 * - `lookup`: the pending series' rows read by key, one index lookup each;
 *   the live case, a few pending series among many registered.
 * - `scan`: every series row of the shard scanned and joined; a backlog,
 *   where most series have points waiting.
 * PostgreSQL's planner takes the scan for both (it prices an index lookup
 * as a read from disk), which made listing a second's pushes scan all
 * 100,000 series rows: 40 ms against 10 ms by lookup. With 100,000 series
 * all pending, the scan is twice as fast (0.4 s against 0.8 s). Reads only.
 */

/**
 * Whether series row `s` is in the shard given by parameters $at (index),
 * $at+1 (count) and $at+2 (pinned services as JSON). hashtext is the same
 * function in PostgreSQL and PGlite, so every process agrees on the parts.
 */
const IN_SHARD = (at: number) =>
  `($${at + 1}::int <= 1 OR COALESCE(($${at + 2}::jsonb ->> s.service)::int, ((hashtext(s.service) % $${at + 1}::int) + $${at + 1}::int) % $${at + 1}::int) = $${at}::int)`;

/** Lookups while the pending points are at most this share of the registered series (rows of either). */
export const LOOKUP_SHARE = 1 / 16;

/**
 * About how many points are pending and how many series rows there are,
 * as the last VACUUM or ANALYZE counted them (-1: not counted yet): a
 * catalogue read. Counting the queue itself scanned it, dead rows and all,
 * on every page: 240 ms a page on a server without autovacuum.
 */
export const PENDING_SIZE = `SELECT
  (SELECT reltuples FROM pg_class WHERE oid = 'pushed_points'::regclass)::float8 AS points,
  (SELECT reltuples FROM pg_class WHERE oid = 'series'::regclass)::float8 AS series`;

/** An estimate not made yet (-1) counts as many pending points: the scan, which is never slow by much. */
export const useLookup = (size: { points: number; series: number }): boolean =>
  size.series > 0 && size.points >= 0 && size.points <= size.series * LOOKUP_SHARE;

/** Pending series of the shard ($1-$3): each one's row and its oldest pending time. */
const waiting = (lookup: boolean) =>
  lookup
    ? // OFFSET 0 keeps the subquery a lookup per pending series: pulled up, it would be planned as the scan.
      `SELECT s.key, s.source, s.metric, s.service, s.labels, w.oldest
       FROM (SELECT series_key, min(t) AS oldest FROM pushed_points GROUP BY series_key) AS w
       CROSS JOIN LATERAL (SELECT * FROM series WHERE series.key = w.series_key OFFSET 0) AS s
       WHERE ${IN_SHARD(1)}`
    : `SELECT s.key, s.source, s.metric, s.service, s.labels, min(p.t) AS oldest
       FROM pushed_points p JOIN series s ON s.key = p.series_key
       WHERE ${IN_SHARD(1)}
       GROUP BY s.key`;

/**
 * A page: services ranked by their oldest pending point, taken while they
 * fit in $4 series (the first always, however large), at most $5 points;
 * each row carries `pending`, the shard's pending series.
 */
export const listPending = (lookup: boolean): string => `WITH waiting AS (${waiting(lookup)}),
  ranked AS (
    SELECT *, count(*) OVER (PARTITION BY service) AS n, min(oldest) OVER (PARTITION BY service) AS first FROM waiting
  ), placed AS (
    SELECT *, count(*) OVER (ORDER BY first, service) AS through, count(*) OVER () AS pending FROM ranked
  )
  SELECT x.key, x.source, x.metric, x.service, x.labels, p.t, p.v, x.pending::int AS pending
  FROM placed x JOIN pushed_points p ON p.series_key = x.key
  WHERE x.through = x.n OR x.through <= $4
  ORDER BY p.series_key, p.t LIMIT $5`;
