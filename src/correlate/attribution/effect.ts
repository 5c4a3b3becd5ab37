/**
 * What a deploy did to one series: the one before/after judgement that
 * deploy verdicts and attribution both make, so that an incident and the
 * deploy's verdict post never tell two stories about one deploy. Pure.
 *
 * Windows: "before" is [start - window, start). "After" is the window
 * after the rollout: the new version at full traffic. When that has too few
 * values, because the rollout is not over or (attribution, `until` = the
 * incident's onset) the incident began during it, the rollout itself stands
 * in: a canary's first tenth of traffic already shows its effect. It stands
 * in only then, since replacing instances briefly costs capacity, a
 * footprint of every rollout; and never for what accumulates (memory, disk,
 * queues), which restarted processes reset. Both stop early at `until`, so
 * the incident itself is not evidence that the metric moved before it.
 * Tests on those windows:
 *   - Mann-Whitney U on the values (shift.ts), or on their difference from
 *     the same times of previous days when the store still has them
 *     (daily.ts): a deploy on a morning ramp is not blamed for the ramp;
 *   - a trend (trend.ts): a metric with no trend before the deploy that
 *     moved in its bad direction after it, past anything seen before, is
 *     worse even while its median has barely moved (a leak). It is read to
 *     `until` when given (a slow onset needs the whole time up to it to show
 *     its slope), else over one window past the rollout.
 * A series "moved" when the shift is material (isMaterial) or it started
 * trending; "worse" when it moved in its bad direction.
 */
import type { Deployment, Point } from '../../domain/index.js';
import { isAccumulating, isWorse } from '../../domain/direction.js';
import { againstPreviousDays } from './daily.js';
import { isMaterial, MIN_SIDE, shiftAt, type Shift } from './shift.js';
import { startedTrending, trendChange, trendSign } from './trend.js';

export interface EffectSeries {
  readonly metric: string;
  /** Points ascending by t, covering one window either side of the rollout. */
  readonly points: readonly Point[];
  /** Points of the same hours on previous days (any order), when the store still has them. */
  readonly history?: readonly Point[];
}

export interface EffectOptions {
  /** Length of each side of the comparison (ms). */
  readonly window: number;
  /** The "after" side stops here (ms); the trend then reads up to here. */
  readonly until?: number;
  /**
   * Whether the detector flagged the series: a trend in a metric that does
   * not accumulate (latency, errors) counts only then, since such metrics
   * also trend with the time of day (trendSign).
   */
  readonly flagged: boolean;
  /** Length of an operational minute (ms) for the slope's unit: 60,000 except in compressed simulations. */
  readonly minuteMs?: number;
}

export interface DeployEffect {
  /** The U-test that decided: on the difference from previous days when `daily`, else on the values. */
  readonly shift: Shift;
  readonly daily: boolean;
  /** Whether that test's after side was the rollout (else the window after it). */
  readonly duringRollout: boolean;
  /** Set when the series started trending in its bad direction after the deploy. */
  readonly trend: { readonly perMinute: number; readonly pValue: number } | null;
  readonly moved: boolean;
  readonly worse: boolean;
}

/** The end of a deploy's rollout: its finish, or its start when it has none. */
export const rolloutEnd = (d: Deployment): number => Math.max(d.finishedAt ?? d.startedAt, d.startedAt);

interface Side {
  readonly shift: Shift;
  readonly daily: boolean;
  readonly duringRollout: boolean;
}

/** The judgement of `d` on one series, or null when neither after side has enough values to say anything. */
export function deployEffect(s: EffectSeries, d: Deployment, o: EffectOptions): DeployEffect | null {
  const end = rolloutEnd(d);
  const clip = o.until !== undefined ? { afterUntil: o.until } : {};
  // The window after the rollout decides; the rollout stands in only when that window has too few values.
  const decided =
    side(s, d, { window: o.window, skipAfter: end - d.startedAt, ...clip }, false) ??
    (end > d.startedAt && !isAccumulating(s.metric)
      ? side(s, d, { window: o.window, afterWindow: end - d.startedAt, ...clip }, true)
      : null);
  if (!decided) return null;
  const trend = climbing(s, d, o);
  const material = isMaterial(decided.shift);
  return {
    ...decided,
    trend,
    moved: material || trend !== null,
    worse: trend !== null || (material && isWorse(s.metric, decided.shift.effect)),
  };
}

/** One before/after test (shiftAt's windows), against previous days when they are known. */
function side(
  s: EffectSeries,
  d: Deployment,
  windows: { window: number; skipAfter?: number; afterWindow?: number; afterUntil?: number },
  duringRollout: boolean,
): Side | null {
  const raw = shiftAt(s.points, d.startedAt, windows);
  if (!raw.sufficient) return null;
  const daily = againstDays(s, raw, d.startedAt, windows);
  return { shift: daily ?? raw, daily: daily !== null, duringRollout };
}

/**
 * The before/after test on the series' difference from the same times of
 * previous days, as a shift of the raw before median, or null when too few
 * points have such a day (a new series, or the store kept no history).
 */
function againstDays(
  s: EffectSeries,
  raw: Shift,
  at: number,
  windows: { window: number; skipAfter?: number; afterWindow?: number; afterUntil?: number },
): Shift | null {
  if (!s.history || s.history.length === 0) return null;
  const gaps = s.points
    .slice(1, 50)
    .map((p, i) => p.t - s.points[i]!.t)
    .sort((a, b) => a - b);
  const tolerance = Math.max(1, (gaps[gaps.length >> 1] ?? 60_000) / 2);
  const d = shiftAt(againstPreviousDays(s.points, s.history, tolerance), at, windows);
  if (!d.sufficient) return null;
  return { ...d, beforeMedian: raw.beforeMedian, afterMedian: raw.beforeMedian + (d.afterMedian - d.beforeMedian) };
}

/**
 * The series' trend after the deploy when it started there in the metric's
 * bad direction, else null: read from the rollout's end (a restart first
 * lowers memory), else from the deploy's start (a canary's share climbing).
 */
function climbing(s: EffectSeries, d: Deployment, o: EffectOptions): DeployEffect['trend'] {
  const sign = trendSign(s.metric, o.flagged);
  if (sign === null) return null;
  const end = rolloutEnd(d);
  for (const from of new Set([end, d.startedAt])) {
    const change = trendChange(s.points, d.startedAt, o.window, o.until ?? end + o.window, sign, from);
    if (startedTrending(change, sign, MIN_SIDE))
      return { perMinute: change.after.slope * (o.minuteMs ?? 60_000), pValue: change.after.p };
  }
  return null;
}
