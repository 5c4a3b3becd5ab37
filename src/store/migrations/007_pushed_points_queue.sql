-- pushed_points becomes the queue of pushed points not yet scored: the push
-- source serves every row after its series' scored cursor (source_cursors)
-- and deletes the rows at or before it. Re-reading a week of history on
-- every pull is no longer needed, so only the per-series index remains.
DROP INDEX IF EXISTS pushed_points_t;
