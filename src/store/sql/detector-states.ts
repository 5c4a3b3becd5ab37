/**
 * Detector state snapshots, and the commit of a scored batch (states and
 * series cursors in one statement).
 * Effects: upserts into `detector_state`; moves cursors (cursor-moves.ts).
 *
 * A row is a checkpoint (`state`, tens of KB of JSON) and the inputs fed
 * to the detector since (`fed`, migration 010): a save with `keepState`
 * writes only `last_t` and `fed`. Every write gives the row a new version
 * (its `xmin` and `last_t`); a row without a checkpoint (`state` null)
 * is a detector that starts cold. A load leaves the state out of the
 * answer when the caller already holds that version, so a process that
 * keeps its detectors in memory reads a few bytes per series. What another
 * process wrote since is read in full, unless the row is on the line of
 * the caller's checkpoint (migration 011: that checkpoint, or the one the
 * row's grew from): then only the inputs are read, and the caller replays
 * those its detector was not fed yet.
 */
import { VigilError } from '../../domain/errors.js';
import type { SqlClient } from '../sql-client.js';
import { latestPerKey, moveCursorsCtes, MOVE_CURSORS } from './cursor-moves.js';
import type { DetectorAnswer, DetectorStateStore, FedInput, ScoredEntry, ScoredStore } from '../types.js';

/** The last entry of each key, in the order the keys first appear; JSON only: NaN/Infinity become null. */
function lastPerKey(entries: readonly ScoredEntry[]) {
  const last = new Map(entries.map((e) => [e.seriesKey, e]));
  const inputs = (fed: readonly FedInput[] | undefined) => (fed && fed.length > 0 ? JSON.stringify(fed) : null);
  return [...last.values()].map((e) => {
    const line = e.keepState ? undefined : e.checkpoint;
    return {
      key: e.seriesKey,
      json: e.keepState ? null : JSON.stringify(e.snapshot.state ?? null),
      lastT: e.snapshot.lastT,
      fed: inputs(e.snapshot.fed),
      ckpt: line?.id ?? null,
      from: line?.from ?? null,
      prior: line ? inputs(line.prior) : null,
    };
  });
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** `fed` as stored, checked: a row that is not what this code wrote is an unusable state, not a crash. */
function parseFed(key: string, text: string | null): readonly FedInput[] | undefined {
  if (text === null) return undefined;
  let fed: unknown;
  try {
    fed = JSON.parse(text);
  } catch {
    fed = null;
  }
  const ok =
    Array.isArray(fed) &&
    fed.every(
      (x) => Array.isArray(x) && x.length === 3 && isNum(x[0]) && isNum(x[1]) && (x[2] === null || isNum(x[2])),
    );
  if (!ok) throw new VigilError('E_DETECTOR_STATE', `the inputs stored after ${key}'s checkpoint are not readable`);
  return fed as FedInput[];
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
const stateParams = (json: ReadonlyArray<string | null>) => (json.length > SCALAR_STATES ? [json] : json);

/** A row's version (table alias `t`): a new transaction id with every write, and the time it was written up to. */
const versionOf = (t: string) => `${t}.xmin::text || '/' || ${t}.last_t`;

/**
 * Keys $1, times $2, fed $3, checkpoint ids $4, the ids they grew from $5
 * and the inputs between $6, the states as statesFrom(`from`, n); a null
 * state keeps the stored one and its line (or, with none stored, a cold
 * start: NULL).
 */
const upsertStates = (from: number, n: number) => `INSERT INTO detector_state
    (series_key, state, last_t, fed, ckpt, prior_ckpt, prior)
  SELECT k, s::json, t, f, c, pc, p
  FROM unnest($1::text[], ${statesFrom(from, n)}, $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
    AS x(k, s, t, f, c, pc, p)
  ON CONFLICT (series_key) DO UPDATE SET state = COALESCE(EXCLUDED.state, detector_state.state),
    last_t = EXCLUDED.last_t, fed = EXCLUDED.fed, saved_at = now(),
    ckpt = CASE WHEN EXCLUDED.state IS NULL THEN detector_state.ckpt ELSE EXCLUDED.ckpt END,
    prior_ckpt = CASE WHEN EXCLUDED.state IS NULL THEN detector_state.prior_ckpt ELSE EXCLUDED.prior_ckpt END,
    prior = CASE WHEN EXCLUDED.state IS NULL THEN detector_state.prior ELSE EXCLUDED.prior END
  RETURNING series_key, ${versionOf('detector_state')} AS v`;

/** Parameters $1-$6 of upsertStates. */
const LINE_PARAMS = 6;

/** The states' upsert and the cursors (the source, keys and times after the line parameters) in one statement, then the states. */
const saveScored = (n: number) =>
  `WITH saved AS (${upsertStates(LINE_PARAMS + 4, n)}), ${moveCursorsCtes(LINE_PARAMS + 1)}
  SELECT series_key, v FROM saved`;

type Row = {
  series_key: string;
  v: string;
  last_t: number;
  state: string | null;
  fed: string | null;
  ckpt: string | null;
  prior: string | null;
  same: boolean;
  continues: boolean;
};

const SAME = `${versionOf('d')} IS NOT DISTINCT FROM x.known`;
const ON_LINE = `(x.ckpt IS NOT NULL AND (d.ckpt = x.ckpt OR d.prior_ckpt = x.ckpt))`;
/**
 * Each key's row ($1), without its state and inputs where the version is
 * still the caller's ($2, null: none), and without its state where it is
 * on the line of the caller's checkpoint ($3, null: none); `prior` only
 * when the row was checkpointed since the caller's.
 */
const LOAD_MANY = `SELECT series_key, v, last_t, same, continues, ckpt,
    CASE WHEN same OR continues THEN NULL ELSE state::text END AS state,
    CASE WHEN same THEN NULL ELSE fed END AS fed,
    CASE WHEN continues AND ckpt IS DISTINCT FROM known_ckpt THEN prior END AS prior
  FROM (SELECT d.series_key, ${versionOf('d')} AS v, d.last_t, d.state, d.fed, d.ckpt, d.prior, x.ckpt AS known_ckpt,
      ${SAME} AS same, NOT (${SAME}) AND ${ON_LINE} AS continues
    FROM unnest($1::text[], $2::text[], $3::text[]) AS x(k, known, ckpt)
    JOIN detector_state d ON d.series_key = x.k) AS q`;

/** A row as loadDetectorIfChanged answers it; throws E_DETECTOR_STATE for inputs this code cannot read. */
function answerOf(row: Row | undefined): DetectorAnswer {
  if (!row) return null;
  if (row.same) return 'unchanged';
  const fed = parseFed(row.series_key, row.fed);
  if (row.continues && row.ckpt !== null) {
    const prior = parseFed(row.series_key, row.prior);
    return {
      continues: true,
      version: row.v,
      lastT: Number(row.last_t),
      ckpt: row.ckpt,
      ...(prior ? { prior } : {}),
      fed: fed ?? [],
    };
  }
  return {
    state: row.state === null ? null : (JSON.parse(row.state) as unknown),
    lastT: Number(row.last_t),
    version: row.v,
    ...(fed ? { fed } : {}),
    ...(row.ckpt !== null ? { ckpt: row.ckpt } : {}),
  };
}

export function detectorStates(db: SqlClient): DetectorStateStore & ScoredStore {
  /**
   * Saves the last entry of each key with `sql(n)` for n states
   * (parameters $1-$6: keys, times, fed inputs and lines, then `extra`,
   * then the states: upsertStates); returns each row's new version.
   */
  const save = async (
    entries: readonly ScoredEntry[],
    sql: (n: number) => string = (n) => upsertStates(LINE_PARAMS + 1, n),
    extra: readonly unknown[] = [],
  ): Promise<Map<string, string>> => {
    const saved = lastPerKey(entries);
    if (saved.length === 0) return new Map();
    const rows = await db.query<{ series_key: string; v: string }>(sql(saved.length), [
      saved.map((s) => s.key),
      saved.map((s) => s.lastT),
      saved.map((s) => s.fed),
      saved.map((s) => s.ckpt),
      saved.map((s) => s.from),
      saved.map((s) => s.prior),
      ...extra,
      ...stateParams(saved.map((s) => s.json)),
    ]);
    return new Map(rows.map((r) => [r.series_key, r.v]));
  };

  const loadMany: DetectorStateStore['loadDetectorsIfChanged'] = async (entries) => {
    const rows = entries.length
      ? await db.query<Row>(LOAD_MANY, [
          entries.map((e) => e.seriesKey),
          entries.map((e) => e.known),
          entries.map((e) => e.knownCkpt ?? null),
        ])
      : [];
    const byKey = new Map(rows.map((r) => [r.series_key, r]));
    return new Map(entries.map((e) => [e.seriesKey, () => answerOf(byKey.get(e.seriesKey))]));
  };
  const load = async (seriesKey: string, known: string | null, knownCkpt?: string) =>
    (await loadMany([{ seriesKey, known, ...(knownCkpt ? { knownCkpt } : {}) }])).get(seriesKey)!();

  return {
    async saveDetectorState(seriesKey, snapshot) {
      await save([{ seriesKey, snapshot }]);
    },
    async saveDetectorStates(entries) {
      await save(entries);
    },
    async loadDetectorState(seriesKey) {
      const got = await load(seriesKey, null);
      if (got === null || got === 'unchanged' || 'continues' in got) return null;
      const { version: _version, ckpt: _ckpt, ...snapshot } = got;
      return snapshot;
    },
    loadDetectorIfChanged: load,
    loadDetectorsIfChanged: loadMany,
    async saveScored(sourceId, entries, cursors = []) {
      const [keys, times] = latestPerKey([
        ...entries.map((e) => ({ seriesKey: e.seriesKey, t: e.snapshot.lastT })),
        ...cursors,
      ]);
      if (entries.length === 0) {
        if (keys.length > 0) await db.query(MOVE_CURSORS, [sourceId, keys, times]);
        return new Map();
      }
      // One statement: the states, the cursors and the pushed points they pass are saved together or not at all.
      return save(entries, saveScored, [sourceId, keys, times]);
    },
  };
}
