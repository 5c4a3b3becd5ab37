/**
 * Anomalies, unique by (seriesKey, t).
 * Effects: inserts into `anomalies`; never updates a stored anomaly, so a
 * re-scored point keeps its first verdict.
 */
import type { Anomaly, AnomalyKind } from '../../domain/index.js';
import type { SqlClient, SqlExecutor } from '../sql-client.js';
import type { AnomalyStore } from '../types.js';

const COLUMNS = 'series_key, t, service, metric, observed, expected, band_lo, band_hi, score, kind';
const WIDTH = 10;
// Postgres allows 65535 parameters per statement; stay well below.
const CHUNK = 1000;

interface AnomalyRow {
  series_key: string;
  t: number;
  service: string;
  metric: string;
  observed: number;
  expected: number;
  band_lo: number;
  band_hi: number;
  score: number;
  kind: string;
}

const toAnomaly = (r: AnomalyRow): Anomaly => ({
  seriesKey: r.series_key,
  service: r.service,
  metric: r.metric,
  t: r.t,
  observed: r.observed,
  expected: r.expected,
  band: [r.band_lo, r.band_hi],
  score: r.score,
  kind: r.kind as AnomalyKind,
});

const identity = (seriesKey: string, t: number) => `${t}\u0000${seriesKey}`;

async function insertChunk(tx: SqlExecutor, chunk: readonly Anomaly[]): Promise<Set<string>> {
  const params: unknown[] = [];
  const tuples = chunk.map((a, i) => {
    params.push(a.seriesKey, a.t, a.service, a.metric, a.observed, a.expected, a.band[0], a.band[1], a.score, a.kind);
    return `(${Array.from({ length: WIDTH }, (_, j) => `$${i * WIDTH + j + 1}`).join(', ')})`;
  });
  const rows = await tx.query<{ series_key: string; t: number }>(
    `INSERT INTO anomalies (${COLUMNS}) VALUES ${tuples.join(', ')}
     ON CONFLICT (series_key, t) DO NOTHING RETURNING series_key, t`,
    params,
  );
  return new Set(rows.map((r) => identity(r.series_key, r.t)));
}

export function anomalyStore(db: SqlClient): AnomalyStore {
  return {
    async insertAnomalies(anomalies) {
      const batch = dedupe(anomalies);
      if (batch.length === 0) return [];
      const insertAll = async (tx: SqlExecutor) => {
        const keys = new Set<string>();
        for (let i = 0; i < batch.length; i += CHUNK) {
          for (const k of await insertChunk(tx, batch.slice(i, i + CHUNK))) keys.add(k);
        }
        return keys;
      };
      // One statement is atomic by itself; several chunks need a transaction to stay all-or-nothing.
      const inserted = batch.length <= CHUNK ? await insertAll(db) : await db.transaction(insertAll);
      return batch.filter((a) => inserted.has(identity(a.seriesKey, a.t)));
    },
    async listAnomalies(q) {
      const rows = await db.query<AnomalyRow>(
        `SELECT ${COLUMNS} FROM anomalies
         WHERE ($1::text IS NULL OR series_key = $1) AND ($2::text IS NULL OR service = $2)
           AND ($3::bigint IS NULL OR t >= $3) AND ($4::bigint IS NULL OR t < $4)
           AND ($6::text[] IS NULL OR service = ANY($6::text[]))
         ORDER BY t, series_key LIMIT $5`,
        [
          q.seriesKey ?? null,
          q.service ?? null,
          q.since ?? null,
          q.until ?? null,
          q.limit ?? null,
          q.services ? [...q.services] : null,
        ],
      );
      return rows.map(toAnomaly);
    },
    async countAnomalies() {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM anomalies');
      return row?.n ?? 0;
    },
  };
}

/** Keeps the first anomaly of each (seriesKey, t), in input order. */
function dedupe(anomalies: readonly Anomaly[]): Anomaly[] {
  const seen = new Set<string>();
  return anomalies.filter((a) => {
    const k = identity(a.seriesKey, a.t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
