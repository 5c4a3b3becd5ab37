/**
 * Series registry, detector state snapshots and source cursors: the
 * per-series bookkeeping the scheduler and detectors read and write.
 * Effects: upserts into `series`, `detector_state`, `source_cursors`.
 */
import type { Labels, SeriesRef } from '../../domain/index.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { CursorStore, DetectorSnapshot, DetectorStateStore, SeriesRegistry } from '../types.js';

interface SeriesRow {
  key: string;
  source: string;
  metric: string;
  service: string;
  labels: Labels;
}

const toRef = (r: SeriesRow): SeriesRef => ({
  key: r.key,
  source: r.source,
  metric: r.metric,
  service: r.service,
  labels: r.labels,
});

/**
 * upsertSeriesMany on any executor (a push's transaction uses it too). Rows
 * are locked in key order, as a push locks them (pushed.ts): two orders
 * deadlocked a pull against a push. For a key given twice the last wins.
 */
export async function upsertSeriesRows(db: SqlExecutor, refs: readonly SeriesRef[]): Promise<void> {
  const unique = [...new Map(refs.map((r) => [r.key, r])).values()].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  if (unique.length === 0) return;
  // Called on every pull: the WHERE skips the write (and a dead tuple) when nothing changed; the row is locked either way.
  await db.query(
    `INSERT INTO series (key, source, metric, service, labels)
     SELECT k, s, m, v, l::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(k, s, m, v, l)
     ON CONFLICT (key) DO UPDATE SET source = EXCLUDED.source, metric = EXCLUDED.metric,
       service = EXCLUDED.service, labels = EXCLUDED.labels
     WHERE (series.source, series.metric, series.service, series.labels)
       IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.metric, EXCLUDED.service, EXCLUDED.labels)`,
    [
      unique.map((r) => r.key),
      unique.map((r) => r.source),
      unique.map((r) => r.metric),
      unique.map((r) => r.service),
      unique.map((r) => JSON.stringify(r.labels)),
    ],
  );
}

export function seriesRegistry(db: SqlClient): SeriesRegistry {
  return {
    async upsertSeries(ref) {
      // Called on every pull: the WHERE skips the write (and a dead tuple) when nothing changed.
      await db.query(
        `INSERT INTO series (key, source, metric, service, labels) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (key) DO UPDATE SET source = EXCLUDED.source, metric = EXCLUDED.metric,
           service = EXCLUDED.service, labels = EXCLUDED.labels
         WHERE (series.source, series.metric, series.service, series.labels)
           IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.metric, EXCLUDED.service, EXCLUDED.labels)`,
        [ref.key, ref.source, ref.metric, ref.service, JSON.stringify(ref.labels)],
      );
    },
    async upsertSeriesMany(refs) {
      await upsertSeriesRows(db, refs);
    },
    async getSeries(key) {
      const [row] = await db.query<SeriesRow>(
        'SELECT key, source, metric, service, labels FROM series WHERE key = $1',
        [key],
      );
      return row ? toRef(row) : null;
    },
    async listSeries(filter = {}) {
      const rows = await db.query<SeriesRow>(
        `SELECT key, source, metric, service, labels FROM series
         WHERE ($1::text IS NULL OR service = $1) ORDER BY key`,
        [filter.service ?? null],
      );
      return rows.map(toRef);
    },
  };
}

export function detectorStates(db: SqlClient): DetectorStateStore {
  return {
    async saveDetectorState(seriesKey, snapshot) {
      // JSON only: NaN/Infinity become null, as with JSON.stringify anywhere.
      await db.query(
        `INSERT INTO detector_state (series_key, state, last_t) VALUES ($1, $2::json, $3)
         ON CONFLICT (series_key) DO UPDATE SET state = EXCLUDED.state, last_t = EXCLUDED.last_t, saved_at = now()`,
        [seriesKey, JSON.stringify(snapshot.state ?? null), snapshot.lastT],
      );
    },
    async saveDetectorStates(entries) {
      const last = [...new Map(entries.map((e) => [e.seriesKey, e.snapshot])).entries()];
      if (last.length === 0) return;
      await db.query(
        `INSERT INTO detector_state (series_key, state, last_t)
         SELECT k, s::json, t FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(k, s, t)
         ON CONFLICT (series_key) DO UPDATE SET state = EXCLUDED.state, last_t = EXCLUDED.last_t, saved_at = now()`,
        [last.map(([k]) => k), last.map(([, s]) => JSON.stringify(s.state ?? null)), last.map(([, s]) => s.lastT)],
      );
    },
    async loadDetectorState(seriesKey) {
      const [row] = await db.query<{ state: unknown; last_t: number }>(
        'SELECT state, last_t FROM detector_state WHERE series_key = $1',
        [seriesKey],
      );
      return row ? ({ state: row.state, lastT: row.last_t } satisfies DetectorSnapshot) : null;
    },
  };
}

export function cursors(db: SqlClient): CursorStore {
  return {
    async getCursor(sourceId, seriesKey) {
      const [row] = await db.query<{ t: number }>(
        'SELECT t FROM source_cursors WHERE source_id = $1 AND series_key = $2',
        [sourceId, seriesKey],
      );
      return row ? row.t : null;
    },
    async setCursor(sourceId, seriesKey, t) {
      await db.query(
        `INSERT INTO source_cursors (source_id, series_key, t) VALUES ($1, $2, $3)
         ON CONFLICT (source_id, series_key) DO UPDATE SET t = GREATEST(source_cursors.t, EXCLUDED.t)
         WHERE EXCLUDED.t > source_cursors.t`,
        [sourceId, seriesKey, t],
      );
    },
    async setCursors(sourceId, entries) {
      const max = new Map<string, number>();
      for (const e of entries) max.set(e.seriesKey, Math.max(max.get(e.seriesKey) ?? -Infinity, e.t));
      if (max.size === 0) return;
      await db.query(
        `INSERT INTO source_cursors (source_id, series_key, t)
         SELECT $1, k, t FROM unnest($2::text[], $3::bigint[]) AS x(k, t)
         ON CONFLICT (source_id, series_key) DO UPDATE SET t = GREATEST(source_cursors.t, EXCLUDED.t)
         WHERE EXCLUDED.t > source_cursors.t`,
        [sourceId, [...max.keys()], [...max.values()]],
      );
    },
    async listCursors(sourceId) {
      const rows = await db.query<{ series_key: string; t: number }>(
        'SELECT series_key, t FROM source_cursors WHERE source_id = $1 ORDER BY series_key',
        [sourceId],
      );
      return rows.map((r) => ({ seriesKey: r.series_key, t: r.t }));
    },
  };
}
