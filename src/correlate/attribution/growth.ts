/**
 * Growth of an incident's accumulating series (memory, disk, queues): a
 * leak's slope and when it reaches its limit at that rate, e.g. "memory_pct
 * +0.1 a minute, 100 in about 6 h". Measured from `lead` before onset (a
 * leak starts before it is detected) to the last point, and only when the
 * series climbs significantly (Mann-Kendall p < 0.01, trend.ts). Pure.
 */
import type { Growth, Point } from '../../domain/index.js';
import { isAccumulating } from '../../domain/direction.js';
import { mannKendall } from './trend.js';
import { MIN_SIDE } from './shift.js';

export interface GrowthSeries {
  readonly seriesKey: string;
  readonly metric: string;
  readonly points: readonly Point[];
}

/** The limit a metric's name implies: 100 for a percentage, 1 for a ratio or fraction; else null. */
export function limitOf(metric: string): number | null {
  if (/pct|percent|_util|utili[sz]ation/i.test(metric)) return 100;
  if (/ratio|fraction/i.test(metric)) return 1;
  return null;
}

/** The fastest-filling growth among `series` from `onset - lead`, or null when none grows. */
export function growthOf(series: readonly GrowthSeries[], onset: number, lead: number): Growth | null {
  let best: Growth | null = null;
  for (const s of series) {
    if (!isAccumulating(s.metric)) continue;
    const pts = s.points.filter((p) => p.t >= onset - lead);
    if (pts.length < MIN_SIDE) continue;
    const trend = mannKendall(pts);
    if (trend.p >= 0.01 || trend.tau <= 0 || trend.slope <= 0) continue;
    const last = pts[pts.length - 1]!;
    const recent = pts
      .slice(-5)
      .map((p) => p.v)
      .sort((a, b) => a - b);
    const level = recent[recent.length >> 1]!;
    const limit = limitOf(s.metric);
    const fullAt = limit !== null && level < limit ? last.t + (limit - level) / trend.slope : null;
    const g: Growth = {
      seriesKey: s.seriesKey,
      metric: s.metric,
      perMinute: trend.slope * 60_000,
      limit,
      fullAt,
      at: last.t,
    };
    if (
      !best ||
      (g.fullAt ?? Infinity) < (best.fullAt ?? Infinity) ||
      (g.fullAt === null && best.fullAt === null && g.perMinute > best.perMinute)
    )
      best = g;
  }
  return best;
}
