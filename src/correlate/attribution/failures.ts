/**
 * Failed requests per sample, from a service's error series and its load
 * series: the unit in which a caller's failures are bounded by its
 * callee's. Every failed request of a caller that only inherits errors
 * made at least one failed call, so the failures a caller gained at a
 * moment can be no more than the failures its callee gained then; a
 * caller's error *rate* can rise more than its callee's (fan-out, retries),
 * its count of failures cannot. That bound holds for errors passed on as
 * errors only: a slow callee makes its callers time out, failures it never
 * counts itself. Pure.
 *
 * An error series whose name says it is a share of requests (`error_rate`,
 * `error_ratio`, `5xx_pct`...) is read as a fraction (a percentage when its
 * name says pct or percent, or any value exceeds 1) and multiplied by the
 * load at the same instant; a count (`errors`, `5xx`) is failures already.
 */
import type { Point } from '../../domain/index.js';
import { LOAD } from '../../domain/direction.js';
import { shiftAt } from './shift.js';

const ERRORS = /error|fault|fail|5xx/i;
const TIME = /latenc|duration|time/i;

/** A series of failed requests, as a count or a share (not an error's latency). */
export function isErrorMetric(metric: string): boolean {
  return ERRORS.test(metric) && !TIME.test(metric);
}
const SHARE = /rate|ratio|fraction|share|pct|percent/i;
const PERCENT = /pct|percent/i;

export interface MetricSeries {
  readonly metric: string;
  readonly points: readonly Point[];
}

/** Failed requests at each instant both series have, or null without an error series (and a load series for a share). */
export function failures(series: readonly MetricSeries[]): Point[] | null {
  const errors = series.find((s) => isErrorMetric(s.metric));
  if (!errors) return null;
  if (!SHARE.test(errors.metric)) return [...errors.points];
  const load = series.find((s) => LOAD.test(s.metric));
  if (!load) return null;
  const scale = PERCENT.test(errors.metric) || errors.points.some((p) => p.v > 1) ? 0.01 : 1;
  const byTime = new Map(load.points.map((p) => [p.t, p.v]));
  const out: Point[] = [];
  for (const p of errors.points) {
    const requests = byTime.get(p.t);
    if (requests !== undefined && Number.isFinite(requests) && Number.isFinite(p.v))
      out.push({ t: p.t, v: p.v * scale * requests });
  }
  return out;
}

/** How many more requests a sample failed after `at` than before (medians over `window` either side), or null. */
export function failureRise(series: readonly MetricSeries[], at: number, window: number): number | null {
  const points = failures(series);
  if (!points) return null;
  const shift = shiftAt(points, at, { window });
  if (shift.beforeCount < 3 || shift.afterCount < 3) return null;
  return shift.afterMedian - shift.beforeMedian;
}
