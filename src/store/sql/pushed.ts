/**
 * Pushed points: what POST /api/v1/metrics accepted, until the push source
 * hands them to the pipeline. Effects: `series` and `pushed_points` rows,
 * written in one transaction, so a request is stored whole or not at all.
 */
import type { Labels, Series, SeriesRef } from '../../domain/index.js';
import type { SqlClient } from '../sql-client.js';
import type { PushedPointStore } from '../types.js';

interface Row { key: string; source: string; metric: string; service: string; labels: Labels; t: number; v: number }

export function pushedPointStore(db: SqlClient): PushedPointStore {
  return {
    async insertPushedPoints(series) {
      return db.transaction(async (tx) => {
        let n = 0;
        for (const s of series) {
          await tx.query(
            `INSERT INTO series (key, source, metric, service, labels) VALUES ($1, $2, $3, $4, $5::jsonb)
             ON CONFLICT (key) DO UPDATE SET service = EXCLUDED.service, labels = EXCLUDED.labels`,
            [s.ref.key, s.ref.source, s.ref.metric, s.ref.service, JSON.stringify(s.ref.labels)],
          );
          if (s.points.length === 0) continue;
          await tx.query(
            `INSERT INTO pushed_points (series_key, t, v)
             SELECT $1, t, v FROM unnest($2::bigint[], $3::float8[]) AS p(t, v)
             ON CONFLICT (series_key, t) DO UPDATE SET v = EXCLUDED.v`,
            [s.ref.key, s.points.map((p) => p.t), s.points.map((p) => p.v)],
          );
          n += s.points.length;
        }
        return n;
      });
    },
    async listPushedPoints(range) {
      const rows = await db.query<Row>(
        `SELECT s.key, s.source, s.metric, s.service, s.labels, p.t, p.v
         FROM pushed_points p JOIN series s ON s.key = p.series_key
         WHERE p.t >= $1 AND p.t < $2 ORDER BY s.key, p.t`,
        [range.from, range.to],
      );
      const bySeries = new Map<string, { ref: SeriesRef; points: Array<{ t: number; v: number }> }>();
      for (const r of rows) {
        let s = bySeries.get(r.key);
        if (!s) {
          s = { ref: { key: r.key, source: r.source, metric: r.metric, service: r.service, labels: r.labels }, points: [] };
          bySeries.set(r.key, s);
        }
        s.points.push({ t: Number(r.t), v: Number(r.v) });
      }
      return [...bySeries.values()] satisfies Series[];
    },
    async prunePushedPoints(before) {
      const rows = await db.query<{ n: number }>('WITH d AS (DELETE FROM pushed_points WHERE t < $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [before]);
      return rows[0]?.n ?? 0;
    },
  };
}
