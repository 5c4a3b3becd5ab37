-- Pushed points now leave the queue in the statement that moves their
-- series' cursor past them (src/store/sql/cursor-moves.ts) instead of in a
-- sweep before each listing. Rows at or before a cursor that an earlier
-- version left for its next sweep go now, once.
DELETE FROM pushed_points p USING source_cursors c
WHERE c.series_key = p.series_key AND p.t <= c.t;
