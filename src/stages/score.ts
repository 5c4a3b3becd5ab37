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
 */
import { LOAD, type Anomaly, type Point, type Series, type SeriesRef } from '../domain/index.js';
import { pullLoads } from './load.js';
import { reportFailure } from './failure.js';
import type { Fetched, Scored, ScoreResult, Stage } from './types.js';
import { VigilError } from '../domain/errors.js';
import type { Store } from '../store/types.js';
import type { Detector, DetectorFactory } from '../detect/types.js';
import { filterByFeedback } from '../incidents/index.js';

export interface ScoreOptions {
  readonly store: Store;
  readonly detectors: DetectorFactory;
  readonly threshold: number;
  readonly sourceId: string;
  readonly onBadInput: (kind: 'non_finite' | 'time_backwards', seriesKey: string, point: Point) => void;
  /** A stored snapshot this detector cannot use (e.g. made by an older version): it starts afresh. */
  readonly onStateReset: (seriesKey: string, reason: string) => void;
}

/**
 * A snapshot from another detector version must not stop a series forever:
 * the series goes back to cold start (its confidence field says so) and
 * the reset is reported. Any other error propagates.
 */
function restoreOrReset(ref: SeriesRef, state: unknown, o: ScoreOptions): Detector {
  try {
    return o.detectors.restore(ref, state);
  } catch (err) {
    if (!(err instanceof VigilError) || err.code !== 'E_DETECTOR_STATE') throw err;
    o.onStateReset(ref.key, err.message);
    return o.detectors.create(ref);
  }
}

/**
 * Saves the detector states and moves the series cursors of `scored`, and
 * `cursors` besides (the query's), together in one statement; nothing when
 * there is neither.
 */
export async function commitScored(
  store: Store,
  sourceId: string,
  scored: readonly ScoreResult[],
  cursors: ReadonlyArray<{ seriesKey: string; t: number }> = [],
): Promise<void> {
  const snaps = scored.flatMap((r) => (r.snapshot ? [r.snapshot] : []));
  if (snaps.length === 0 && cursors.length === 0) return;
  await store.saveScored(
    sourceId,
    snaps.map((s) => ({ seriesKey: s.seriesKey, snapshot: { state: s.state, lastT: s.lastT } })),
    cursors,
  );
}

/** `load`: the service's load by timestamp (loadsOf), for detectors that judge the series against it. */
export async function scoreSeries(
  series: Series,
  o: ScoreOptions,
  load?: ReadonlyMap<number, number>,
): Promise<ScoreResult> {
  const { ref } = series;
  const snap = await o.store.loadDetectorState(ref.key);
  const detector = snap ? restoreOrReset(ref, snap.state, o) : o.detectors.create(ref);
  let lastT = snap?.lastT ?? -Infinity;
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
    const s = detector.update(p, load?.get(p.t));
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
  if (scored === 0) return { scored, anomalies, lastT: null, seconds, snapshot: null };
  // People's "not an anomaly" feedback (src/incidents/feedback.ts) drops what they marked as normal.
  const { kept } =
    anomalies.length > 0
      ? filterByFeedback(anomalies, await o.store.listFeedback({ seriesKey: ref.key }))
      : { kept: anomalies };
  anomalies.splice(0, anomalies.length, ...kept);
  await o.store.insertAnomalies(anomalies);
  return { scored, anomalies, lastT, seconds, snapshot: { seriesKey: ref.key, state: detector.snapshot(), lastT } };
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
  for (const s of fetched.series) {
    try {
      const result = await scoreSeries(s, options, loads.get(s.ref.service));
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
