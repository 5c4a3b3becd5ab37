/**
 * Pushed points: the queue between POST /api/v1/metrics and the push source.
 *
 * Contract (every point answered 202 is scored exactly once):
 * - A request is stored whole or not at all, in one transaction that holds a
 *   per-series advisory lock, so two requests for one series never interleave.
 *   Absent series rows are inserted in key order, the order a pull upserts
 *   them in, so a push and a pull never wait for each other's series rows
 *   in a cycle; existing ones are neither written nor locked.
 * - A request costs four statements whatever its size (locks, series rows,
 *   newest accepted per series, the new points), five when some points are
 *   at or before their series' newest: one statement per series made a
 *   1,000-series request take 2-7 s.
 * - A point is new when it is later than everything its series has had
 *   accepted: the pending points and the scored cursor. A point at the time of
 *   a pending or already scored point is a duplicate (the first value wins:
 *   the scored one may already have been read). Anything else is late, and a
 *   request with a late point is refused whole (E_PUSH_LATE), since an online
 *   detector that has read past it can no longer score it.
 * - listPending serves the pending points (no clock, no window) a page at a
 *   time (pending.ts); a point leaves the queue when its series' cursor
 *   passes it, in the statement that moves the cursor (cursor-moves.ts).
 *   With a shard, only those of its series (PushShard in ../types.ts). A
 *   page takes whole services, oldest pending point first, so a worker holds
 *   a bounded number of detectors and no service waits behind busier ones.
 * Effects: `series` and `pushed_points` rows. Failure modes: store errors
 * propagate as VigilErrors (E_STORE_UNAVAILABLE is retryable).
 */
import type { Labels, Series, SeriesRef } from '../../domain/index.js';
import { VigilError } from '../../domain/errors.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { PushOutcome, PushedPointStore } from '../types.js';
import { listPending, PENDING_SIZE, useLookup } from './pending.js';
import { registerAbsentSeries } from './series.js';

interface Row {
  key: string;
  source: string;
  metric: string;
  service: string;
  labels: Labels;
  t: number;
  v: number;
}

const byKey = (a: Series, b: Series) => (a.ref.key < b.ref.key ? -1 : a.ref.key > b.ref.key ? 1 : 0);

/** Per series key: the newest time it has had accepted (pending or scored), or -Infinity. */
async function newestAccepted(
  tx: SqlExecutor,
  sourceId: string,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const rows = await tx.query<{ key: string; newest: number | null; cursor: number | null }>(
    `SELECT k AS key,
            (SELECT max(t) FROM pushed_points WHERE series_key = k) AS newest,
            (SELECT t FROM source_cursors WHERE source_id = $2 AND series_key = k) AS cursor
     FROM unnest($1::text[]) AS k`,
    [keys, sourceId],
  );
  return new Map(rows.map((r) => [r.key, Math.max(r.newest ?? -Infinity, r.cursor ?? -Infinity)]));
}

/** Which of the (key, t) pairs are accepted already: pending, or scored and kept. */
async function knownPoints(tx: SqlExecutor, pairs: ReadonlyArray<readonly [string, number]>): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await tx.query<{ key: string; t: number }>(
    `SELECT q.k AS key, q.t FROM unnest($1::text[], $2::bigint[]) AS q(k, t)
     WHERE EXISTS (SELECT 1 FROM pushed_points p WHERE p.series_key = q.k AND p.t = q.t)
        OR EXISTS (SELECT 1 FROM metric_points m WHERE m.series_key = q.k AND m.t = q.t)`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return new Set(rows.map((r) => `${r.key}\u0000${Number(r.t)}`));
}

export function pushedPointStore(db: SqlClient): PushedPointStore {
  return {
    async insertPushedPoints(series, sourceId = 'push') {
      // In key order, as a pull upserts them (series.ts): in request order a push and a pull deadlocked on the series rows.
      const sorted = [...series].sort(byKey);
      const keys = [...new Set(sorted.map((s) => s.ref.key))];
      if (keys.length === 0) return { accepted: 0, duplicates: 0 };
      return db.transaction(async (tx) => {
        // One statement each for the whole request; unnest yields (and locks) in array order, so keys are locked in order.
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('push:' || k)) FROM unnest($1::text[]) AS k", [keys]);
        await registerAbsentSeries(
          tx,
          sorted.map((s) => s.ref),
        );
        const newest = await newestAccepted(tx, sourceId, keys);
        // Only a point at or before its series' newest can be a re-sent one; asked about once, for all of them.
        const older = sorted.flatMap((s) =>
          s.points.filter((p) => p.t <= (newest.get(s.ref.key) ?? -Infinity)).map((p) => [s.ref.key, p.t] as const),
        );
        const known = await knownPoints(tx, older);
        const rows: { k: string[]; t: number[]; v: number[] } = { k: [], t: [], v: [] };
        const outcome: PushOutcome = { accepted: 0, duplicates: 0 };
        // As if each series were stored in turn: a key given twice sees the points its first entry queued.
        for (const s of sorted) {
          const key = s.ref.key;
          const head = newest.get(key) ?? -Infinity;
          const fresh = s.points.filter((p) => p.t > head);
          const late = s.points.find((p) => p.t <= head && !known.has(`${key}\u0000${p.t}`));
          if (late) {
            throw new VigilError(
              'E_PUSH_LATE',
              `series ${s.ref.metric}{service="${s.ref.service}"}: the point at ${new Date(late.t).toISOString()} is older than the newest point already accepted for it (${new Date(head).toISOString()}); points of a series must arrive in time order, so nothing of this request was stored`,
            );
          }
          outcome.duplicates += s.points.length - fresh.length;
          for (const p of fresh) {
            rows.k.push(key);
            rows.t.push(p.t);
            rows.v.push(p.v);
            known.add(`${key}\u0000${p.t}`);
            newest.set(key, Math.max(newest.get(key) ?? -Infinity, p.t));
          }
          outcome.accepted += fresh.length;
        }
        if (rows.k.length > 0) {
          await tx.query(
            `INSERT INTO pushed_points (series_key, t, v)
             SELECT k, t, v FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS p(k, t, v)`,
            [rows.k, rows.t, rows.v],
          );
        }
        return outcome;
      });
    },
    async listPendingPushedPoints({ maxPoints, maxSeries, shard = { index: 0, count: 1 } }) {
      const part = [shard.index, shard.count, JSON.stringify(shard.pinned ?? {})];
      const [size] = await db.query<{ points: number; series: number }>(PENDING_SIZE);
      const rows = await db.query<Row & { pending: number }>(listPending(useLookup(size!)), [
        ...part,
        maxSeries ?? 2_147_483_647,
        maxPoints,
      ]);
      const bySeries = new Map<string, { ref: SeriesRef; points: Array<{ t: number; v: number }> }>();
      for (const r of rows) {
        let s = bySeries.get(r.key);
        if (!s) {
          s = {
            ref: { key: r.key, source: r.source, metric: r.metric, service: r.service, labels: r.labels },
            points: [],
          };
          bySeries.set(r.key, s);
        }
        s.points.push({ t: Number(r.t), v: Number(r.v) });
      }
      const pendingSeries = rows.length > 0 ? Number(rows[0]!.pending) : 0;
      return {
        series: [...bySeries.values()] satisfies Series[],
        pendingSeries,
        more: rows.length >= maxPoints || bySeries.size < pendingSeries,
      };
    },
  };
}
