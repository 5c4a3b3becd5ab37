/**
 * Recent raw points per series, unique by (seriesKey, t).
 * Effects: inserts into `metric_points` (a point already stored keeps its
 * first value) and deletes by age. Inserts are chunked arrays, one statement
 * per chunk, so a pull of thousands of points is a handful of round trips.
 */
import type { SqlClient } from '../sql-client.js';
import type { PointStore } from '../types.js';

const CHUNK = 5000;

export function pointStore(db: SqlClient): PointStore {
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
      const rows = batch.flatMap((b) => b.points.map((p) => [b.seriesKey, p.t, p.v] as const));
      for (let i = 0; i < rows.length; i += CHUNK * 4) {
        const chunk = rows.slice(i, i + CHUNK * 4);
        await db.query(
          `INSERT INTO metric_points (series_key, t, v)
           SELECT k, t, v FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS p(k, t, v)
           ON CONFLICT (series_key, t) DO NOTHING`,
          [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2])],
        );
      }
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
