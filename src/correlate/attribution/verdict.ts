/**
 * Deploy verdicts: for every finished deploy, a before/after comparison of
 * the service's metrics (Mann-Whitney U per metric, as Kayenta does for
 * canaries, here for every deploy). The rollout itself is left out of the
 * "after" side. A metric "moved" when the shift is significant (p < 0.01),
 * large (|effect| >= 0.5) and material (median changed >= 5%); it counts
 * against the deploy when it moved in its bad direction. A metric that moved
 * for the worse AND was flagged anomalous by the detector after the deploy
 * fails it; a worse move alone (it may be time of day) makes it marginal.
 * A slow regression is judged by its trend, as attribution judges it
 * (trend.ts): a metric with no trend before the deploy that moves in its
 * bad direction after the rollout, past anything seen before, is a worse
 * move even while its median has barely changed (a leak). Here only for
 * resources that accumulate (memory, disk, queues): trendSign.
 * Pure.
 */
import type { Deployment, DeployVerdict, MetricShift, Point, VerdictOutcome } from '../../domain/index.js';
import { isWorse } from '../../domain/direction.js';
import { describeChange, isMaterial, MIN_SIDE, shiftAt, type Shift } from './shift.js';
import { againstPreviousDays } from './daily.js';
import { startedTrending, trendChange, trendSign } from './trend.js';

export interface VerdictSeries {
  readonly seriesKey: string;
  readonly metric: string;
  readonly points: readonly Point[];
  /** Whether the detector flagged this series from the deploy's start to one window after its rollout. */
  readonly anomalousAfter: boolean;
  /**
   * The same windows on previous days (daily.ts), when the store still has
   * them: the before/after test then runs on the difference from them.
   */
  readonly history?: readonly Point[];
}

export interface VerdictInput {
  readonly deployment: Deployment;
  readonly series: readonly VerdictSeries[];
  /** Length of each side of the comparison (ms). */
  readonly window: number;
  readonly decidedAt: number;
}

export function judgeDeploy(input: VerdictInput): DeployVerdict {
  const d = input.deployment;
  const rollout = Math.max(0, (d.finishedAt ?? d.startedAt) - d.startedAt);
  const shifts: MetricShift[] = [];
  let failing = 0;
  for (const s of input.series) {
    const raw = shiftAt(s.points, d.startedAt, { window: input.window, skipAfter: rollout });
    if (!raw.sufficient) continue;
    const daily = againstDays(s, raw, d.startedAt, rollout, input.window);
    const shift = daily ?? raw;
    const trend = climbing(s, d.startedAt, d.startedAt + rollout, input.window);
    const moved = isMaterial(shift) || trend !== null;
    const worse = trend !== null || (moved && isWorse(s.metric, shift.effect));
    if (worse && s.anomalousAfter) failing++;
    shifts.push({
      seriesKey: s.seriesKey,
      metric: s.metric,
      beforeMedian: shift.beforeMedian,
      afterMedian: shift.afterMedian,
      beforeCount: shift.beforeCount,
      afterCount: shift.afterCount,
      pValue: shift.p,
      effect: shift.effect,
      moved,
      worse,
      ...(daily ? { daily: true } : {}),
      ...(trend ? { trend } : {}),
    });
  }
  const worse = shifts.filter((s) => s.worse);
  const outcome: VerdictOutcome =
    shifts.length === 0 ? 'inconclusive' : failing > 0 ? 'fail' : worse.length > 0 ? 'marginal' : 'pass';
  return {
    deploymentId: d.id,
    service: d.service,
    outcome,
    decidedAt: input.decidedAt,
    shifts,
    summary: summarise(outcome, shifts, input.window),
  };
}

/**
 * The before/after test on the series' difference from the same times of
 * previous days, as a shift of the raw before median, or null when too few
 * points have such a day (a new series, or the store kept no history).
 */
function againstDays(s: VerdictSeries, raw: Shift, at: number, rollout: number, window: number): Shift | null {
  if (!s.history || s.history.length === 0) return null;
  const gaps = s.points
    .slice(1, 50)
    .map((p, i) => p.t - s.points[i]!.t)
    .sort((a, b) => a - b);
  const tolerance = Math.max(1, (gaps[gaps.length >> 1] ?? 60_000) / 2);
  const d = shiftAt(againstPreviousDays(s.points, s.history, tolerance), at, { window, skipAfter: rollout });
  if (!d.sufficient) return null;
  return { ...d, beforeMedian: raw.beforeMedian, afterMedian: raw.beforeMedian + (d.afterMedian - d.beforeMedian) };
}

/** The series' trend after the rollout when it started there in the metric's bad direction, else null. */
function climbing(s: VerdictSeries, start: number, rolloutEnd: number, window: number): MetricShift['trend'] | null {
  // Not `anomalousAfter`: flagged anywhere in the window after the deploy may be an unrelated event's series; the leak test stays with what accumulates.
  const sign = trendSign(s.metric, false);
  if (sign === null) return null;
  const change = trendChange(s.points, start, window, rolloutEnd + window, sign, rolloutEnd);
  return startedTrending(change, sign, MIN_SIDE)
    ? { perMinute: change.after.slope * 60_000, pValue: change.after.p }
    : null;
}

function summarise(outcome: VerdictOutcome, shifts: readonly MetricShift[], window: number): string {
  const mins = Math.round(window / 60_000);
  if (outcome === 'inconclusive')
    return `inconclusive: not enough data around the deploy (${mins} min either side needed)`;
  const worse = shifts.filter((s) => s.worse);
  if (worse.length === 0)
    return `pass: ${shifts.length} metric${shifts.length === 1 ? '' : 's'} steady or better (${mins} min before vs after)`;
  const parts = worse
    .sort((a, b) => (a.trend?.pValue ?? a.pValue) - (b.trend?.pValue ?? b.pValue))
    .slice(0, 3)
    .map((s) =>
      s.trend
        ? `${s.metric} ${s.trend.perMinute >= 0 ? 'climbing +' : 'falling '}${s.trend.perMinute.toPrecision(2)} a minute since the rollout (Mann-Kendall ${pText(s.trend.pValue)})`
        : `${s.metric} ${s.afterMedian >= s.beforeMedian ? 'rose' : 'fell'} ${describeChange(s.beforeMedian, s.afterMedian).replace(/^[+-]/, '')}${s.daily ? ' beyond the daily pattern' : ''} (${pText(s.pValue)})`,
    );
  return `${outcome}: ${parts.join(', ')}`;
}

const pText = (p: number) => `p${p < 0.001 ? '<0.001' : `=${p.toFixed(3)}`}`;
