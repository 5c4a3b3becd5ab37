/**
 * The end of a pull job. commitScores: the series of the settled groups
 * count as scored (detector states and series cursors saved, commitScored
 * in score.ts); a failure there is reported and counts those series as
 * failed. The query's cursor moves to the end of the range only when no
 * series failed; otherwise it stays and the next pull (or the job's retry)
 * reads the range again, and series that did score skip the points they
 * already scored. When no series failed, the query's cursor moves in the
 * commit's own statement (all or nothing); moveCursor moves it only when
 * that statement failed with nothing of the series' to commit. Effects:
 * saveScored, setCursor; metrics. The "not scored" line is a warning,
 * except while a store outage is logged (its own two lines cover it).
 */
import { queryCursorKey } from '../sources/index.js';
import { reportFailure } from './failure.js';
import { commitScored } from './score.js';
import type { Committed, Settled, Stage } from './types.js';

export const commitScores: Stage<Settled, Committed> = async (settled, deps) => {
  const results = settled.settled.flatMap((g) => g.results);
  const { job, failed } = settled;
  const query = failed === 0 ? [{ seriesKey: queryCursorKey(job.query), t: job.range.to }] : [];
  try {
    await commitScored(deps.store, settled.sourceId, results, query, deps.live);
    return { ...settled, points: results.reduce((n, r) => n + r.scored, 0), cursorMoved: failed === 0 };
  } catch (err) {
    reportFailure(err, 'saving detector states', deps);
    return { ...settled, points: 0, failed: failed + results.length, cursorMoved: false };
  }
};

/** What a page did, and what its source left waiting (more: only when no series of it failed). */
export interface PageDone {
  readonly points: number;
  readonly anomalies: number;
  readonly series: number;
  readonly pendingSeries: number;
  readonly more: boolean;
}

export const moveCursor: Stage<Committed, PageDone> = async (pull, deps) => {
  const { job, failed, series, points } = pull;
  if (failed === 0) {
    if (!pull.cursorMoved) await deps.store.setCursor(pull.sourceId, queryCursorKey(job.query), job.range.to);
  } else {
    // During a store outage its two lines (start, end with a count) say this already: one line per pull would flood.
    const level = deps.outage?.isDown('store') ? 'info' : 'warn';
    deps.log[level](
      { query: job.query.id, failed, series: series.length },
      `${failed} of ${series.length} series were not scored; the query's cursor stays, so the next pull retries them`,
    );
  }
  const anomalies = pull.settled.reduce((n, g) => n + g.anomalies.length, 0);
  deps.metrics.pointsIngested(pull.sourceId, points);
  deps.metrics.anomaliesDetected(anomalies);
  return {
    points,
    anomalies,
    series: series.length,
    pendingSeries: pull.page.pendingSeries,
    more: pull.page.more && failed === 0,
  };
};
