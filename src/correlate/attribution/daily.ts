/**
 * A series against the same time of day on previous days, for verdicts: a
 * deploy made on a morning ramp sees CPU and latency rise from the 30
 * minutes before it to the 30 after, and so did the same hours yesterday.
 * Each point becomes its difference from the median of the points at the
 * same time of day (within `tolerance`) on the previous days that have one;
 * a point no previous day has is left out. Pure, except `previousDays`,
 * which reads those days from the store.
 */
import type { Point } from '../../domain/index.js';
import type { PointStore } from '../../store/types.js';
import { median } from './shift.js';

export const DAY_MS = 86_400_000;

/** Previous days a verdict reads, at most (the store may keep fewer: `vigil start` prunes raw points after 2 days). */
export const PREVIOUS_DAYS = 7;

/** Points of `key` in [from, to) on each of the previous days, as far as the store keeps them. */
export async function previousDays(store: PointStore, key: string, from: number, to: number): Promise<Point[]> {
  const out: Point[] = [];
  for (let k = 1; k <= PREVIOUS_DAYS; k++)
    out.push(...(await store.listPoints(key, { from: from - k * DAY_MS, to: to - k * DAY_MS })));
  return out;
}

/**
 * `points` minus their daily baseline, from `history` (points of earlier
 * days, any order). Empty when no point has a baseline.
 */
export function againstPreviousDays(points: readonly Point[], history: readonly Point[], tolerance: number): Point[] {
  if (history.length === 0) return [];
  const past = [...history].sort((a, b) => a.t - b.t);
  const out: Point[] = [];
  for (const p of points) {
    const same: number[] = [];
    for (let k = 1; k <= PREVIOUS_DAYS; k++) {
      const v = nearest(past, p.t - k * DAY_MS, tolerance);
      if (v !== null) same.push(v);
    }
    if (same.length > 0) out.push({ t: p.t, v: p.v - median(same) });
  }
  return out;
}

/** The value of the point of `sorted` nearest to `t`, if within `tolerance`. */
function nearest(sorted: readonly Point[], t: number, tolerance: number): number | null {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  let best: Point | null = null;
  for (const i of [lo - 1, lo]) {
    const c = sorted[i];
    if (c && Math.abs(c.t - t) <= tolerance && (!best || Math.abs(c.t - t) < Math.abs(best.t - t))) best = c;
  }
  return best ? best.v : null;
}
