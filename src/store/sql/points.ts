/**
 * Recent raw points per series, unique by (seriesKey, t).
 * Effects: inserts into `metric_points` (a point already stored keeps its
 * first value) and deletes by age; `recordFetched` also upserts into `series`
 * (see series.ts). Inserts are chunked arrays, one statement per chunk, so
 * a pull of thousands of points is a handful of round trips, and a pull's
 * series registration rides with its first chunk.
 */
import type { SqlClient } from '../sql-client.js';
import type { PointStore } from '../types.js';
import { seriesParams, uniqueSeries, UPSERT_SERIES } from './series.js';

const CHUNK = 5000;
const ROWS = CHUNK * 4;

const INSERT_ROWS = (k: number) => `INSERT INTO metric_points (series_key, t, v)
  SELECT k, t, v FROM unnest($${k}::text[], $${k + 1}::bigint[], $${k + 2}::float8[]) AS p(k, t, v)
  ON CONFLICT (series_key, t) DO NOTHING`;

type Row = readonly [string, number, number];
const rowParams = (chunk: readonly Row[]) => [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2])];

export function pointStore(db: SqlClient): PointStore {
  const insertRows = async (rows: readonly Row[], from: number) => {
    for (let i = from; i < rows.length; i += ROWS) await db.query(INSERT_ROWS(1), rowParams(rows.slice(i, i + ROWS)));
  };
  const rowsOf = (batch: Parameters<PointStore['insertPointsMany']>[0]) =>
    batch.flatMap((b) => b.points.map((p): Row => [b.seriesKey, p.t, p.v]));
  return {
    async insertPoints(seriesKey, points) {
      for (let i = 0; i < points.length; i += CHUNK) {
        const chunk = points.slice(i, i + CHUNK);
        await db.query(
          `INSERT INTO metric_points (series_key, t, v)
           SELECT $1, t, v FROM unnest($2::bigint[], $3::float8[]) AS p(t, v)
           ON CONFLICT (series_key, t) DO NOTHING`,
          [seriesKey, chunk.map((p) => p.t), chunk.map((p) => p.v)],
        );
      }
    },
    async insertPointsMany(batch) {
      await insertRows(rowsOf(batch), 0);
    },
    async recordFetched(refs, batch) {
      const series = uniqueSeries(refs);
      const rows = rowsOf(batch);
      if (series.length === 0) return insertRows(rows, 0);
      // The series and the first chunk of points in one statement (a pull's usual batch is all of it).
      await db.query(`WITH registered AS (${UPSERT_SERIES}) ${INSERT_ROWS(6)}`, [
        ...seriesParams(series),
        ...rowParams(rows.slice(0, ROWS)),
      ]);
      await insertRows(rows, ROWS);
    },
    async listPoints(seriesKey, range) {
      const rows = await db.query<{ t: number; v: number }>(
        'SELECT t, v FROM metric_points WHERE series_key = $1 AND t >= $2 AND t < $3 ORDER BY t',
        [seriesKey, range.from, range.to],
      );
      return rows.map((r) => ({ t: r.t, v: r.v }));
    },
    async prunePoints(before) {
      const rows = await db.query<{ n: number }>(
        'WITH gone AS (DELETE FROM metric_points WHERE t < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
        [before],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
