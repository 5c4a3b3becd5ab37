/**
 * Trend evidence for attribution: did a metric start to climb at a deploy?
 * A slow regression (a memory leak, a filling queue) barely moves a
 * before/after median comparison by the time it is detected, and the
 * restart a deploy causes first lowers memory, so the U-test reads
 * "steady". What the deploy changed is the slope. Pure.
 *
 * Mann-Kendall test for a monotone trend (normal approximation with tie
 * correction, adequate from about 8 values) and the Theil-Sen slope (the
 * median of pairwise slopes, robust to outliers and spikes).
 */
import type { Point } from '../../domain/index.js';
import { badDirection, fillDirection, isAccumulating } from '../../domain/direction.js';
import { normalTail } from './mann-whitney.js';

export interface Trend {
  /** Two-sided p-value of "no monotone trend". */
  readonly p: number;
  /** Kendall's S normalised to [-1,1]: +1 every later value is larger. */
  readonly tau: number;
  /** Theil-Sen slope, in units per millisecond. */
  readonly slope: number;
  readonly count: number;
}

export function mannKendall(points: readonly Point[]): Trend {
  const n = points.length;
  if (n < 3) return { p: 1, tau: 0, slope: 0, count: n };
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dv = points[j]!.v - points[i]!.v;
      s += Math.sign(dv);
      const dt = points[j]!.t - points[i]!.t;
      if (dt > 0) slopes.push(dv / dt);
    }
  }
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p.v, (counts.get(p.v) ?? 0) + 1);
  let ties = 0;
  for (const c of counts.values()) ties += c * (c - 1) * (2 * c + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  slopes.sort((a, b) => a - b);
  const m = slopes.length >> 1;
  const slope = slopes.length === 0 ? 0 : slopes.length % 2 ? slopes[m]! : (slopes[m - 1]! + slopes[m]!) / 2;
  const tau = s / ((n * (n - 1)) / 2);
  // All values tied: no ordering to test.
  if (variance <= 0) return { p: 1, tau, slope, count: n };
  const z = (Math.abs(s) - 1) / Math.sqrt(variance);
  return { p: Math.min(1, 2 * normalTail(Math.max(0, z))), tau, slope, count: n };
}

export interface TrendChange {
  readonly before: Trend;
  readonly after: Trend;
  /** The after side ended above (or below, for `sign` -1) everything seen before the deploy. */
  readonly beyond: boolean;
}

/**
 * Trend in [at - window, at) against the trend in [from, until), on
 * `points` ascending by t; `from` (default `at`) may skip a rollout, during
 * which a restart lowers memory before the new version takes all traffic.
 * `sign` is the bad direction (+1 up, -1 down).
 */
export function trendChange(
  points: readonly Point[],
  at: number,
  window: number,
  until: number,
  sign: 1 | -1,
  from = at,
): TrendChange {
  const before = points.filter((p) => p.t >= at - window && p.t < at);
  const after = points.filter((p) => p.t >= from && p.t < until);
  const tail = after
    .slice(-Math.min(5, after.length))
    .map((p) => sign * p.v)
    .sort((a, b) => a - b);
  const last = tail.length === 0 ? -Infinity : tail[tail.length >> 1]!;
  const worst = before.reduce((m, p) => Math.max(m, sign * p.v), -Infinity);
  return { before: mannKendall(before), after: mannKendall(after), beyond: before.length > 0 && last > worst };
}

/** The after side climbs in the bad direction (p < 0.01) past anything seen before, from a before side that did not. */
export function startedTrending(c: TrendChange, sign: 1 | -1, minSide: number): boolean {
  if (c.before.count < minSide || c.after.count < minSide) return false;
  const climbing = c.after.p < 0.01 && sign * c.after.tau > 0;
  const already = c.before.p < 0.05 && sign * c.before.tau > 0;
  return climbing && !already && c.beyond;
}

/**
 * Which way a metric's trend would be a regression, or null when a trend in
 * it is no evidence: resources that accumulate (memory, disk, queues) leak
 * the way they fill (up for use, down for free space); any other metric with a bad direction counts only when the
 * detector flagged it (`flagged`), since latency and traffic also trend with
 * the time of day.
 */
export function trendSign(metric: string, flagged: boolean): 1 | -1 | null {
  if (isAccumulating(metric)) return fillDirection(metric);
  const dir = badDirection(metric);
  if (!flagged || dir === 'both') return null;
  return dir === 'up' ? 1 : -1;
}
