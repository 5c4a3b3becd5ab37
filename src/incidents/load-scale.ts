/**
 * How much more load a service carries now than before an incident's onset,
 * for the quiet test of a load-driven series (CPU): a service that deviated
 * at night is busier at noon, and its CPU follows; that is not the
 * deviation going on. The factor at t is the service's load (its LOAD
 * series, the one the detector's load test reads) over the trailing
 * `window` against the load over the `window` before onset, medians, and
 * never below 1: more load explains more CPU, less load does not make CPU
 * any worse. Pure.
 */
import { median } from 'simple-statistics';
import type { Point } from '../domain/index.js';

/**
 * `scale(t)` from the load points `load` (ascending by t); 1 where either
 * side has no load point, or the baseline is not positive.
 */
export function loadScale(load: readonly Point[], onset: number, window: number): (t: number) => number {
  const before = load.filter((p) => p.t >= onset - window && p.t < onset).map((p) => p.v);
  const base = before.length > 0 ? median(before) : NaN;
  if (!(base > 0)) return () => 1;
  return (t) => {
    const now = trailing(load, t, window);
    return now.length > 0 ? Math.max(1, median(now) / base) : 1;
  };
}

/** Values of `sorted` with t in (t - window, t]. */
function trailing(sorted: readonly Point[], t: number, window: number): number[] {
  let lo = 0,
    hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.t <= t - window) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.t <= t; i++) out.push(sorted[i]!.v);
  return out;
}
