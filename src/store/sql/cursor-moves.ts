/**
 * Moving series cursors: the one statement fragment every cursor writer
 * uses (setCursor, setCursors, saveScored).
 * Effects: upserts `source_cursors`, forward only; deletes the
 * `pushed_points` at or before each time moved to.
 *
 * Contract: a series' cursor is the time its detector has scored up to, so
 * a pushed point at or before it is done and leaves the queue in the same
 * statement (all or nothing). A pushed point is only ever accepted after
 * its series' cursor (pushed.ts), so the queue holds nothing else to clean
 * up, and listing it needs no sweep. Done here by key and time, an index
 * lookup per series; a sweep before each listing scanned every pending
 * point of the shard, once a page.
 */

/** CTEs `moved` and `drained`: parameter $n the source, $n+1 the keys, $n+2 the times. */
export const moveCursorsCtes = (n: number): string => `moved AS (
    INSERT INTO source_cursors (source_id, series_key, t)
    SELECT $${n}, k, t FROM unnest($${n + 1}::text[], $${n + 2}::bigint[]) AS x(k, t)
    ON CONFLICT (source_id, series_key) DO UPDATE SET t = GREATEST(source_cursors.t, EXCLUDED.t)
    WHERE EXCLUDED.t > source_cursors.t
  ), drained AS (
    DELETE FROM pushed_points p USING unnest($${n + 1}::text[], $${n + 2}::bigint[]) AS d(k, t)
    WHERE p.series_key = d.k AND p.t <= d.t
  )`;

/** The move alone: $1 the source, $2 the keys, $3 the times. */
export const MOVE_CURSORS = `WITH ${moveCursorsCtes(1)} SELECT 1`;

/** Each key once at its latest time: the parameters $2 and $3 of MOVE_CURSORS. */
export function latestPerKey(entries: ReadonlyArray<{ seriesKey: string; t: number }>): [string[], number[]] {
  const max = new Map<string, number>();
  for (const e of entries) max.set(e.seriesKey, Math.max(max.get(e.seriesKey) ?? -Infinity, e.t));
  return [[...max.keys()], [...max.values()]];
}
