/**
 * Detector state snapshots, and the commit of a scored batch (states and
 * series cursors in one statement).
 * Effects: upserts into `detector_state` and `source_cursors`.
 *
 * A pull job loads a series' state and saves it again a moment later, and
 * a state is tens of KB of JSON: reading it back through the database is
 * most of a small job's store time. So each store keeps the JSON text of
 * the states it saved or loaded last (a bounded cache, least recently used
 * out first) together with the row's version (`xmin` and `last_t`). A load
 * still asks the database, but the row comes back without its state when
 * the version matches: whatever another process (or another store on the
 * same database) wrote since has another version and is read in full. A
 * hit returns exactly what a full read would: the same JSON text, parsed.
 */
import { VigilError } from '../../domain/errors.js';
import type { SqlClient } from '../sql-client.js';
import type { DetectorSnapshot, DetectorStateStore, ScoredStore } from '../types.js';

/** Total JSON characters the cache holds (about as many bytes: snapshots are ASCII). */
export const STATE_CACHE_CHARS = 16_000_000;

interface Cached {
  readonly version: string;
  readonly lastT: number;
  readonly json: string;
}

/** Least recently used first (Map keeps insertion order; a hit re-inserts). */
export class StateCache {
  readonly #entries = new Map<string, Cached>();
  #chars = 0;

  constructor(readonly budget: number = STATE_CACHE_CHARS) {}

  get(key: string): Cached | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, entry: Cached): void {
    this.delete(key);
    if (entry.json.length > this.budget) return;
    this.#entries.set(key, entry);
    this.#chars += entry.json.length;
    for (const [k, e] of this.#entries) {
      if (this.#chars <= this.budget) break;
      this.#entries.delete(k);
      this.#chars -= e.json.length;
    }
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#chars -= old.json.length;
  }

  get size(): number {
    return this.#entries.size;
  }

  get chars(): number {
    return this.#chars;
  }
}

type Entry = { readonly seriesKey: string; readonly snapshot: DetectorSnapshot };

/** The last snapshot of each key, in the order the keys first appear; JSON only: NaN/Infinity become null. */
function lastPerKey(entries: readonly Entry[]): Array<{ key: string; json: string; lastT: number }> {
  const last = new Map(entries.map((e) => [e.seriesKey, e.snapshot]));
  return [...last].map(([key, s]) => ({ key, json: JSON.stringify(s.state ?? null), lastT: s.lastT }));
}

/**
 * The states' JSON text as one parameter each, from $`from` on: an array
 * literal of tens of KB of JSON is escaped by the client and parsed again
 * by the server, which cost more than the rest of serialising the batch.
 * Beyond SCALAR_STATES (parameters are limited) one text[] parameter.
 */
export const SCALAR_STATES = 10_000;
const statesFrom = (from: number, n: number) =>
  n > SCALAR_STATES
    ? `$${from}::text[]`
    : `ARRAY[${Array.from({ length: n }, (_, i) => `$${from + i}::text`).join(', ')}]`;
const stateParams = (json: readonly string[]) => (json.length > SCALAR_STATES ? [json] : json);

/** Keys $1, times $2, the states as statesFrom(`from`, n). */
const upsertStates = (from: number, n: number) => `INSERT INTO detector_state (series_key, state, last_t)
  SELECT k, s::json, t FROM unnest($1::text[], ${statesFrom(from, n)}, $2::bigint[]) AS x(k, s, t)
  ON CONFLICT (series_key) DO UPDATE SET state = EXCLUDED.state, last_t = EXCLUDED.last_t, saved_at = now()
  RETURNING series_key, xmin::text AS v`;

/** Cursors forward only: $n the source, $n+1/$n+2 keys and times. */
const cursorsFrom = (n: number) => `INSERT INTO source_cursors (source_id, series_key, t)
    SELECT $${n}, k, t FROM unnest($${n + 1}::text[], $${n + 2}::bigint[]) AS x(k, t)
    ON CONFLICT (source_id, series_key) DO UPDATE SET t = GREATEST(source_cursors.t, EXCLUDED.t)
    WHERE EXCLUDED.t > source_cursors.t`;

const MOVE_CURSORS = cursorsFrom(1);

/** The states' upsert and the cursors ($3 the source, $4/$5 keys and times) in one statement; states from $6. */
const saveScored = (n: number) => `WITH saved AS (${upsertStates(6, n)}), moved AS (${cursorsFrom(3)})
  SELECT series_key, v FROM saved`;

export function detectorStates(db: SqlClient, cache = new StateCache()): DetectorStateStore & ScoredStore {
  /**
   * Saves the last snapshot of each key with `sql(n)` for n states
   * (parameters $1 the keys, $2 their times, then `extra`, then the states:
   * upsertStates), which returns each saved row's version; the cache then
   * holds what was saved, under that version.
   */
  const save = async (
    entries: readonly Entry[],
    sql: (n: number) => string = (n) => upsertStates(3, n),
    extra: readonly unknown[] = [],
  ) => {
    const saved = lastPerKey(entries);
    if (saved.length === 0) return;
    // Until the statement's outcome is known no cached copy of these keys is trusted.
    for (const s of saved) cache.delete(s.key);
    const rows = await db.query<{ series_key: string; v: string }>(sql(saved.length), [
      saved.map((s) => s.key),
      saved.map((s) => s.lastT),
      ...extra,
      ...stateParams(saved.map((s) => s.json)),
    ]);
    const version = new Map(rows.map((r) => [r.series_key, r.v]));
    for (const s of saved) {
      const v = version.get(s.key);
      if (v === undefined) cache.delete(s.key);
      else cache.set(s.key, { version: v, lastT: s.lastT, json: s.json });
    }
  };

  return {
    async saveDetectorState(seriesKey, snapshot) {
      await save([{ seriesKey, snapshot }]);
    },
    async saveDetectorStates(entries) {
      await save(entries);
    },
    async loadDetectorState(seriesKey) {
      const known = cache.get(seriesKey);
      const [row] = await db.query<{ v: string; last_t: number; state: string | null }>(
        `SELECT xmin::text AS v, last_t,
           CASE WHEN xmin::text = $2 AND last_t = $3 THEN NULL ELSE state::text END AS state
         FROM detector_state WHERE series_key = $1`,
        [seriesKey, known?.version ?? null, known?.lastT ?? null],
      );
      if (!row) {
        cache.delete(seriesKey);
        return null;
      }
      // The state is left out only when the version matches what was cached.
      const json = row.state ?? known?.json;
      if (json === undefined) throw new VigilError('E_STORE_QUERY', `detector state of ${seriesKey} came back empty`);
      if (row.state !== null) cache.set(seriesKey, { version: row.v, lastT: row.last_t, json });
      return { state: JSON.parse(json) as unknown, lastT: row.last_t } satisfies DetectorSnapshot;
    },
    async saveScored(sourceId, entries, cursors = []) {
      const cursor = new Map<string, number>();
      const moves = [...entries.map((e) => ({ seriesKey: e.seriesKey, t: e.snapshot.lastT })), ...cursors];
      for (const m of moves) cursor.set(m.seriesKey, Math.max(cursor.get(m.seriesKey) ?? -Infinity, m.t));
      if (entries.length === 0) {
        if (cursor.size > 0) await db.query(MOVE_CURSORS, [sourceId, [...cursor.keys()], [...cursor.values()]]);
        return;
      }
      // One statement: the states and the cursors are saved together or not at all.
      await save(entries, saveScored, [sourceId, [...cursor.keys()], [...cursor.values()]]);
    },
  };
}
