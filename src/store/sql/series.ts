/**
 * Series registry and source cursors: the per-series bookkeeping the
 * scheduler reads and writes (detector states: detector-states.ts).
 * Effects: upserts into `series`; cursors move as cursor-moves.ts says.
 */
import type { Labels, SeriesRef } from '../../domain/index.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { CursorStore, SeriesRegistry } from '../types.js';
import { latestPerKey, MOVE_CURSORS } from './cursor-moves.js';

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

/** Each key once (the last given wins), in key order. */
export function uniqueSeries(refs: readonly SeriesRef[]): SeriesRef[] {
  return [...new Map(refs.map((r) => [r.key, r])).values()].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/** Rows of `uniqueSeries` refs, parameters $1..$5 (seriesParams), to insert; what a conflict does follows. */
const SERIES_ROWS = `INSERT INTO series (key, source, metric, service, labels)
  SELECT k, s, m, v, l::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(k, s, m, v, l)`;

/**
 * The upsert of SERIES_ROWS. Called on every pull: the WHERE skips the
 * write (and a dead tuple) when nothing changed; the row is locked either way.
 */
export const UPSERT_SERIES = `${SERIES_ROWS}
  ON CONFLICT (key) DO UPDATE SET source = EXCLUDED.source, metric = EXCLUDED.metric,
    service = EXCLUDED.service, labels = EXCLUDED.labels
  WHERE (series.source, series.metric, series.service, series.labels)
    IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.metric, EXCLUDED.service, EXCLUDED.labels)`;

/**
 * SERIES_ROWS not registered yet. For refs whose key determines every
 * column (a pushed series' key is its source, metric and labels, the
 * service among them): an existing row is left as it is, neither written
 * nor locked, so a service the rules mapped it to stays.
 */
const INSERT_ABSENT_SERIES = `${SERIES_ROWS}
  ON CONFLICT (key) DO NOTHING`;

export const seriesParams = (unique: readonly SeriesRef[]): unknown[] => [
  unique.map((r) => r.key),
  unique.map((r) => r.source),
  unique.map((r) => r.metric),
  unique.map((r) => r.service),
  unique.map((r) => JSON.stringify(r.labels)),
];

/**
 * `sql` (UPSERT_SERIES or INSERT_ABSENT_SERIES) for `refs` on any executor.
 * Rows go in key order, in pulls and pushes alike: two orders deadlocked a
 * pull against a push. For a key given twice the last wins.
 */
async function writeSeries(db: SqlExecutor, sql: string, refs: readonly SeriesRef[]): Promise<void> {
  const unique = uniqueSeries(refs);
  if (unique.length > 0) await db.query(sql, seriesParams(unique));
}

/** INSERT_ABSENT_SERIES on any executor (a push's transaction). */
export const registerAbsentSeries = (db: SqlExecutor, refs: readonly SeriesRef[]): Promise<void> =>
  writeSeries(db, INSERT_ABSENT_SERIES, refs);

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
      await writeSeries(db, UPSERT_SERIES, refs);
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
      await db.query(MOVE_CURSORS, [sourceId, [seriesKey], [t]]);
    },
    async setCursors(sourceId, entries) {
      const [keys, times] = latestPerKey(entries);
      if (keys.length > 0) await db.query(MOVE_CURSORS, [sourceId, keys, times]);
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
