/**
 * The score stage: every fetched series, one at a time. A series that
 * throws is reported and counted as failed (the pipeline then keeps the
 * query's cursor); the others go on. Bad points and unusable detector
 * states are counted in the metrics and logged.
 *
 * Scores one fetched series from where its detector stopped.
 * Effects: anomalies are stored at once (the insert de-duplicates them);
 * the detector state and the series cursor only when the caller passes the
 * result to `commitScored`, which the pipeline does, for a whole batch in
 * one statement, once the anomalies have been through the incident
 * lifecycle. Until then the points are not "scored": a crash or a failed
 * incident stage re-scores them from the same state (same input, same
 * output), so no anomaly is found and then lost before it reaches an
 * incident.
 * Anomalies matching "not an anomaly" feedback on the series are dropped.
 * Bad input never throws: non-finite values and points at or before the
 * last scored time are skipped and reported through `onBadInput`.
 *
 * Load: each series gets its service's load from the same pull, outside
 * rollouts (stages/load.ts), for detectors that judge CPU against it.
 *
 * State: a series' stored detector is a checkpoint plus the inputs fed
 * since (store: DetectorSnapshot); the detector is the checkpoint restored
 * with those inputs replayed, or the one kept in memory (stages/live.ts)
 * when the stored row has not changed since, or has only moved on along
 * its line (caught up). A commit rewrites the checkpoint only when enough
 * inputs would follow it (checkpointDue; or the stored one is unusable);
 * otherwise it appends the job's inputs to `fed`. A detector that started
 * cold is saved as a cold line (no checkpoint, the inputs from the start)
 * until its first checkpoint is due: replaying a few inputs into a new
 * detector costs less than writing and reading back 22 KB of state, which
 * every new series paid on its first point. A new checkpoint gets an
 * id and names the one it grew from, with the inputs between (up to
 * FED_CAP), so a process holding the older detector catches up too.
 */
import { randomUUID } from 'node:crypto';
import { LOAD, type Anomaly, type Point, type Series, type SeriesRef } from '../domain/index.js';
import { pullLoads } from './load.js';
import { reportFailure } from './failure.js';
import type { Fetched, Scored, ScoreResult, Stage } from './types.js';
import { VigilError } from '../domain/errors.js';
import type { ContinuedSnapshot, DetectorAnswer, FedInput, Store } from '../store/types.js';
import type { ResumedFrom } from '../observability/index.js';
import type { Detector, DetectorFactory } from '../detect/types.js';
import type { LiveDetector, LiveDetectors } from './live.js';
import { filterByFeedback } from '../incidents/index.js';

export interface ScoreOptions {
  readonly store: Store;
  readonly detectors: DetectorFactory;
  readonly threshold: number;
  readonly sourceId: string;
  readonly onBadInput: (kind: 'non_finite' | 'time_backwards', seriesKey: string, point: Point) => void;
  /** A stored snapshot this detector cannot use (e.g. made by an older version): it starts afresh. */
  readonly onStateReset: (seriesKey: string, reason: string) => void;
  /** Detectors kept in memory between jobs; absent: each job restores them from the store. */
  readonly live?: LiveDetectors;
  /** Where each series' detector was found (the metrics' detectorResumed). */
  readonly onResumed?: (from: ResumedFrom) => void;
}

/**
 * Inputs kept after a checkpoint before the next one, with jobs of one
 * point: a save appends a few hundred bytes instead of rewriting the state.
 */
export const FED_MAX = 30;

/**
 * Most inputs ever kept after a checkpoint, or between a checkpoint and the
 * one it grew from: a process replays at most these (beyond, replaying
 * would cost more than reading the checkpoint).
 */
export const FED_CAP = 8 * FED_MAX;

/**
 * Whether a commit that fed a job of `n` points rewrites the checkpoint,
 * with `fed` inputs after it. Every save rewrites the inputs kept (a cost
 * in proportion to their number); a checkpoint costs about the same
 * whatever it holds (22 KB). With jobs of n points, checkpointing once
 * more than FED_MAX x sqrt(n) inputs follow minimises the two together
 * per point (FED_MAX itself is that point for n = 1): hour-long backtest
 * jobs checkpoint every fourth job instead of every one, and one-point
 * live jobs every 30.
 */
export function checkpointDue(fed: number, n: number): boolean {
  return fed > Math.min(FED_CAP, FED_MAX * Math.sqrt(Math.max(1, n)));
}

const isStateError = (err: unknown): err is VigilError => err instanceof VigilError && err.code === 'E_DETECTOR_STATE';

/**
 * A snapshot from another detector version must not stop a series forever:
 * the series goes back to cold start (its confidence field says so) and
 * the reset is reported. Any other error propagates.
 */
function restoreOrReset(ref: SeriesRef, state: unknown, o: ScoreOptions): Detector | null {
  try {
    return o.detectors.restore(ref, state);
  } catch (err) {
    if (!isStateError(err)) throw err;
    o.onStateReset(ref.key, err.message);
    return null;
  }
}

interface Resumed {
  readonly detector: Detector;
  readonly lastT: number;
  readonly fed: FedInput[];
  /** The stored checkpoint cannot be kept: none yet, or unusable. */
  readonly checkpoint: boolean;
  /** The stored row's version the detector equals before this job; null: not stored as it is. */
  readonly version: string | null;
  /** The id of the checkpoint `fed` follows (null: none, or a cold start). */
  readonly ckpt: string | null;
  readonly from: ResumedFrom;
}

/** What the batch read for a series before scoring it (scoreBatch): its detector in memory and the store's answer. */
export interface Prefetched {
  readonly live: LiveDetector | undefined;
  readonly answer: () => DetectorAnswer;
}

/** A new detector: nothing stored for the series, or nothing usable. */
const cold = (ref: SeriesRef, o: ScoreOptions): Resumed => ({
  detector: o.detectors.create(ref),
  lastT: -Infinity,
  fed: [],
  checkpoint: true,
  version: null,
  ckpt: null,
  from: 'new',
});

/**
 * The series' detector where it stopped: the one in memory if the stored
 * row is still the version it was saved as; the one in memory fed what
 * another process fed it since, when the row is on its line
 * (ContinuedSnapshot); otherwise the checkpoint restored and its inputs
 * since replayed. A row whose inputs this code cannot read starts cold,
 * reported.
 */
async function resume(ref: SeriesRef, o: ScoreOptions, pre?: Prefetched): Promise<Resumed> {
  const live = pre ? pre.live : o.live?.take(ref.key);
  let snap;
  try {
    snap = pre
      ? pre.answer()
      : await o.store.loadDetectorIfChanged(ref.key, live?.version ?? null, live?.ckpt ?? undefined);
    if (snap !== null && snap !== 'unchanged' && 'continues' in snap) {
      const line = lineOf(snap);
      if (live && continues(line, live.fed)) return caughtUp(live, snap, line);
      // Not this detector's inputs after all (e.g. a row written by other means): the whole state, then.
      snap = await o.store.loadDetectorIfChanged(ref.key, null);
    }
  } catch (err) {
    if (!isStateError(err)) throw err;
    o.onStateReset(ref.key, err.message);
    return cold(ref, o);
  }
  if (snap === 'unchanged' && live) return { ...live, fed: [...live.fed], checkpoint: false, from: 'memory' };
  if (snap === null || snap === 'unchanged' || 'continues' in snap) return cold(ref, o);
  // No checkpoint (state null): a detector that started cold and was fed what `fed` holds.
  const restored = snap.state === null ? o.detectors.create(ref) : restoreOrReset(ref, snap.state, o);
  const detector = restored ?? o.detectors.create(ref);
  const fed = [...(snap.fed ?? [])];
  // Same input, same output: replaying what the checkpoint had not seen yet.
  for (const [t, v, load] of fed) detector.update({ t, v }, load ?? undefined);
  return {
    detector,
    lastT: snap.lastT,
    fed,
    checkpoint: restored === null,
    version: restored ? snap.version : null,
    ckpt: restored ? (snap.ckpt ?? null) : null,
    from: 'store',
  };
}

/** The inputs from the caller's checkpoint to the row's state: `prior` (when checkpointed since), then `fed`. */
const lineOf = (snap: ContinuedSnapshot): readonly FedInput[] => (snap.prior ? [...snap.prior, ...snap.fed] : snap.fed);

/** Whether `stored` is `mine` followed by at least one input. */
function continues(stored: readonly FedInput[], mine: readonly FedInput[]): boolean {
  if (stored.length <= mine.length) return false;
  return mine.every((x, i) => x[0] === stored[i]![0] && x[1] === stored[i]![1] && x[2] === stored[i]![2]);
}

/** The detector in memory, fed the rest of the row's `line` (lineOf) that another process fed it since (same input, same output). */
function caughtUp(live: LiveDetector, snap: ContinuedSnapshot, line: readonly FedInput[]): Resumed {
  for (let i = live.fed.length; i < line.length; i++) {
    const [t, v, load] = line[i]!;
    live.detector.update({ t, v }, load ?? undefined);
  }
  return {
    detector: live.detector,
    lastT: snap.lastT,
    fed: [...snap.fed],
    checkpoint: false,
    version: snap.version,
    ckpt: snap.ckpt,
    from: 'caught-up',
  };
}

/**
 * Saves the detector states and moves the series cursors of `scored`, and
 * `cursors` besides (the query's), together in one statement; nothing when
 * there is neither. Once saved, each series' detector is kept in `live`.
 */
export async function commitScored(
  store: Store,
  sourceId: string,
  scored: readonly ScoreResult[],
  cursors: ReadonlyArray<{ seriesKey: string; t: number }> = [],
  live?: LiveDetectors,
): Promise<void> {
  const snaps = scored.flatMap((r) => (r.snapshot ? [r.snapshot] : []));
  if (snaps.length === 0 && cursors.length === 0) return;
  const versions = await store.saveScored(
    sourceId,
    snaps.map((s) => ({
      seriesKey: s.seriesKey,
      snapshot: { state: s.state, lastT: s.lastT, fed: s.fed },
      keepState: s.keepState,
      ...(s.checkpoint ? { checkpoint: s.checkpoint } : {}),
    })),
    cursors,
  );
  if (!live) return;
  for (const s of snaps) {
    const version = versions.get(s.seriesKey);
    if (version !== undefined)
      live.put(s.seriesKey, { detector: s.detector, version, lastT: s.lastT, fed: s.fed, ckpt: s.ckpt });
  }
}

/**
 * `load`: the service's load by timestamp (loadsOf), for detectors that
 * judge the series against it; `pre`: what scoreBatch read for it already.
 */
export async function scoreSeries(
  series: Series,
  o: ScoreOptions,
  load?: ReadonlyMap<number, number>,
  pre?: Prefetched,
): Promise<ScoreResult> {
  const { ref } = series;
  const resumed = await resume(ref, o, pre);
  o.onResumed?.(resumed.from);
  const { detector, fed } = resumed;
  let lastT = resumed.lastT;
  const startLastT = lastT;
  const anomalies: Anomaly[] = [];
  let scored = 0;
  const started = performance.now();
  for (const p of series.points) {
    if (p.t <= lastT) {
      // Points at or before the cursor are expected (re-read windows for late data);
      // only a point going back within this batch is bad input.
      if (p.t < lastT && lastT > startLastT) o.onBadInput('time_backwards', ref.key, p);
      continue;
    }
    if (!Number.isFinite(p.v) || !Number.isFinite(p.t)) {
      o.onBadInput('non_finite', ref.key, p);
      continue;
    }
    const l = load?.get(p.t);
    const s = detector.update(p, l);
    fed.push([p.t, p.v, l ?? null]);
    scored++;
    lastT = p.t;
    if (s.value >= o.threshold && s.kind !== null) {
      anomalies.push({
        seriesKey: ref.key,
        service: ref.service,
        metric: ref.metric,
        t: p.t,
        observed: p.v,
        expected: s.expected,
        band: s.band,
        score: s.value,
        kind: s.kind,
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (scored === 0) {
    // Nothing new: the detector still equals the stored row, so it stays in memory.
    const { version, ckpt } = resumed;
    if (o.live && version !== null) o.live.put(ref.key, { detector, version, lastT, fed, ckpt });
    return { scored, anomalies, lastT: null, seconds, snapshot: null };
  }
  // People's "not an anomaly" feedback (src/incidents/feedback.ts) drops what they marked as normal.
  const { kept } =
    anomalies.length > 0
      ? filterByFeedback(anomalies, await o.store.listFeedback({ seriesKey: ref.key }))
      : { kept: anomalies };
  anomalies.splice(0, anomalies.length, ...kept);
  await o.store.insertAnomalies(anomalies);
  const due = checkpointDue(fed.length, scored);
  // A new detector's first checkpoint is its cold line until one with its state is due.
  const snapshot =
    resumed.checkpoint || due
      ? checkpointOf(ref.key, resumed, lastT, fed, resumed.from === 'new' && !due)
      : {
          seriesKey: ref.key,
          state: null,
          lastT,
          fed,
          keepState: true,
          detector,
          ckpt: resumed.ckpt,
        };
  return { scored, anomalies, lastT, seconds, snapshot };
}

/**
 * A new checkpoint of the detector, on the line of the one it grew from
 * when that is known and near. `cold`: a detector that started cold, saved
 * as a checkpoint without state (null, which overwrites whatever the row
 * held) followed by every input it was fed, which a load replays into a new
 * detector (same input, same output); it has an id like any checkpoint, so
 * another process holding this detector catches up along its line.
 */
function checkpointOf(
  seriesKey: string,
  resumed: Resumed,
  lastT: number,
  fed: readonly FedInput[],
  cold = false,
): NonNullable<ScoreResult['snapshot']> {
  const id = randomUUID();
  const near = !cold && !resumed.checkpoint && resumed.ckpt !== null && fed.length <= FED_CAP;
  return {
    seriesKey,
    state: cold ? null : resumed.detector.snapshot(),
    lastT,
    fed: cold ? fed : [],
    keepState: false,
    detector: resumed.detector,
    ckpt: id,
    checkpoint: { id, from: near ? resumed.ckpt : null, prior: near ? fed : [] },
  };
}

function take<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  map.delete(key);
  return v;
}

/**
 * Every series' detector of the batch: those in memory taken out, and the
 * store asked about all of them in one statement. Should that read fail,
 * each series reads its own as it is scored (with its detector from
 * memory), so one bad series fails alone; the failure is reported there.
 */
async function prefetch(series: readonly Series[], o: ScoreOptions): Promise<Map<string, Prefetched>> {
  const live = new Map<string, LiveDetector | undefined>();
  for (const s of series) if (!live.has(s.ref.key)) live.set(s.ref.key, o.live?.take(s.ref.key));
  try {
    const answers = await o.store.loadDetectorsIfChanged(
      [...live].map(([seriesKey, l]) => ({
        seriesKey,
        known: l?.version ?? null,
        ...(l?.ckpt ? { knownCkpt: l.ckpt } : {}),
      })),
    );
    return new Map([...live].map(([key, l]) => [key, { live: l, answer: answers.get(key)! }]));
  } catch {
    // Put back what was taken: each series' own read checks it against the store again.
    for (const [key, l] of live) if (l) o.live?.put(key, l);
    return new Map();
  }
}

export const scoreBatch: Stage<Fetched, Scored> = async (fetched, deps) => {
  const scored: { service: string; result: ScoreResult }[] = [];
  let failed = 0;
  const loads = await pullLoads(fetched.series, deps.loadSeries ?? LOAD, deps.store);
  const options: ScoreOptions = {
    store: deps.store,
    detectors: deps.detectors,
    threshold: deps.threshold,
    sourceId: fetched.sourceId,
    ...(deps.live ? { live: deps.live } : {}),
    onResumed: (from) => deps.metrics.detectorResumed(from),
    onBadInput: (kind, seriesKey, point) => {
      deps.metrics.badInput(kind);
      deps.log.warn(
        { seriesKey, t: point.t, value: String(point.v) },
        kind === 'non_finite' ? 'skipped a non-finite value' : 'skipped a point whose timestamp goes backwards',
      );
    },
    onStateReset: (seriesKey, reason) => {
      deps.metrics.badInput('detector_state_reset');
      deps.log.warn({ seriesKey, reason }, 'stored detector state is unusable; the series starts from a cold baseline');
    },
  };
  const pre = await prefetch(fetched.series, options);
  for (const s of fetched.series) {
    try {
      const result = await scoreSeries(s, options, loads.get(s.ref.service), take(pre, s.ref.key));
      deps.metrics.scoringSeconds(result.seconds, result.scored);
      deps.outage?.ok('store');
      scored.push({ service: s.ref.service, result });
    } catch (err) {
      deps.metrics.badInput('series_error');
      reportFailure(err, `scoring ${s.ref.key}`, deps);
      failed++;
    }
  }
  return { ...fetched, scored, failed };
};
