/**
 * Pushed points: the queue between POST /api/v1/metrics and the push source.
 *
 * Contract (every point answered 202 is scored exactly once):
 * - A request is stored whole or not at all, in one transaction that holds a
 *   per-series advisory lock, so two requests for one series never interleave.
 *   Series are taken in key order, the order a pull upserts them in, so a
 *   push and a pull never wait for each other's series rows in a cycle.
 * - A point is new when it is later than everything its series has had
 *   accepted: the pending points and the scored cursor. A point at the time of
 *   a pending or already scored point is a duplicate (the first value wins:
 *   the scored one may already have been read). Anything else is late, and a
 *   request with a late point is refused whole (E_PUSH_LATE), since an online
 *   detector that has read past it can no longer score it.
 * - listPending serves every pending point (no clock, no window), after
 *   deleting those at or before their series' scored cursor; with a shard,
 *   only those of its series (PushShard in ../types.ts).
 * Effects: `series` and `pushed_points` rows. Failure modes: store errors
 * propagate as VigilErrors (E_STORE_UNAVAILABLE is retryable).
 */
import type { Labels, Series, SeriesRef } from '../../domain/index.js';
import { VigilError } from '../../domain/errors.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { PushOutcome, PushedPointStore } from '../types.js';

interface Row { key: string; source: string; metric: string; service: string; labels: Labels; t: number; v: number }

/** The newest time a series has had accepted (pending or scored), and whether `ts` exist already. */
async function seriesState(tx: SqlExecutor, sourceId: string, key: string, ts: readonly number[]) {
  const [head] = await tx.query<{ newest: number | null; cursor: number | null }>(
    `SELECT (SELECT max(t) FROM pushed_points WHERE series_key = $1) AS newest,
            (SELECT t FROM source_cursors WHERE source_id = $2 AND series_key = $1) AS cursor`,
    [key, sourceId],
  );
  const known = await tx.query<{ t: number }>(
    `SELECT t FROM pushed_points WHERE series_key = $1 AND t = ANY($2::bigint[])
     UNION SELECT t FROM metric_points WHERE series_key = $1 AND t = ANY($2::bigint[])`,
    [key, ts],
  );
  const newest = Math.max(head?.newest ?? -Infinity, head?.cursor ?? -Infinity);
  return { newest, known: new Set(known.map((r) => Number(r.t))) };
}

/**
 * Whether series row `s` is in the shard given by parameters $at (index),
 * $at+1 (count) and $at+2 (pinned services as JSON). hashtext is the same
 * function in PostgreSQL and PGlite, so every process agrees on the parts.
 */
const IN_SHARD = (at: number) =>
  `($${at + 1}::int <= 1 OR COALESCE(($${at + 2}::jsonb ->> s.service)::int, ((hashtext(s.service) % $${at + 1}::int) + $${at + 1}::int) % $${at + 1}::int) = $${at}::int)`;

export function pushedPointStore(db: SqlClient): PushedPointStore {
  return {
    async insertPushedPoints(series, sourceId = 'push') {
      return db.transaction(async (tx) => {
        const outcome: PushOutcome = { accepted: 0, duplicates: 0 };
        // In key order, as a pull upserts them (series.ts): in request order a push and a pull deadlocked on the series rows.
        for (const s of [...series].sort((a, b) => (a.ref.key < b.ref.key ? -1 : a.ref.key > b.ref.key ? 1 : 0))) {
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`push:${s.ref.key}`]);
          await tx.query(
            `INSERT INTO series (key, source, metric, service, labels) VALUES ($1, $2, $3, $4, $5::jsonb)
             ON CONFLICT (key) DO UPDATE SET service = EXCLUDED.service, labels = EXCLUDED.labels`,
            [s.ref.key, s.ref.source, s.ref.metric, s.ref.service, JSON.stringify(s.ref.labels)],
          );
          if (s.points.length === 0) continue;
          const { newest, known } = await seriesState(tx, sourceId, s.ref.key, s.points.map((p) => p.t));
          const fresh = s.points.filter((p) => p.t > newest);
          const late = s.points.find((p) => p.t <= newest && !known.has(p.t));
          if (late) {
            throw new VigilError('E_PUSH_LATE', `series ${s.ref.metric}{service="${s.ref.service}"}: the point at ${new Date(late.t).toISOString()} is older than the newest point already accepted for it (${new Date(newest).toISOString()}); points of a series must arrive in time order, so nothing of this request was stored`);
          }
          outcome.duplicates += s.points.length - fresh.length;
          if (fresh.length === 0) continue;
          await tx.query(
            `INSERT INTO pushed_points (series_key, t, v)
             SELECT $1, t, v FROM unnest($2::bigint[], $3::float8[]) AS p(t, v)`,
            [s.ref.key, fresh.map((p) => p.t), fresh.map((p) => p.v)],
          );
          outcome.accepted += fresh.length;
        }
        return outcome;
      });
    },
    async listPendingPushedPoints(limit, sourceId = 'push', shard = { index: 0, count: 1 }) {
      const part = [shard.index, shard.count, JSON.stringify(shard.pinned ?? {})];
      await db.query(
        `DELETE FROM pushed_points p USING source_cursors c, series s
         WHERE c.source_id = $1 AND c.series_key = p.series_key AND p.t <= c.t AND s.key = p.series_key AND ${IN_SHARD(2)}`,
        [sourceId, ...part],
      );
      const rows = await db.query<Row>(
        `SELECT s.key, s.source, s.metric, s.service, s.labels, p.t, p.v
         FROM pushed_points p JOIN series s ON s.key = p.series_key
         WHERE ${IN_SHARD(1)}
         ORDER BY p.series_key, p.t LIMIT $4`,
        [...part, limit],
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
  };
}
