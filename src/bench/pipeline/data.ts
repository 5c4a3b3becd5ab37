/**
 * The run's data: `series` synthetic series of one-minute points, shaped as
 * a fleet (10 metrics per service), cut into push bodies of at most 1,000
 * series (the push API's limit), one body per chunk and minute. Pure.
 */
import { seriesKey } from '../../domain/index.js';
import type { PushBody } from '../../sources/push/index.js';
import { syntheticSeries, type SyntheticSeries } from '../synthetic.js';

export const STEP_MS = 60_000;
/** The push API takes at most this many series per request. */
export const SERIES_PER_BODY = 1000;
const METRICS = [
  'latency_p99_ms',
  'error_rate',
  'cpu_utilization',
  'memory_bytes',
  'requests_per_second',
  'queue_depth',
  'db_connections',
  'gc_pause_ms',
  'disk_io_bytes',
  'cache_hit_ratio',
] as const;
/** Data time of the first minute: fixed, so runs are comparable. */
export const START_T = Date.UTC(2026, 0, 5);

export interface BenchSeries {
  readonly metric: string;
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
  /** the key the push API gives it (src/sources/push/route.ts) */
  readonly key: string;
}

export function benchSeries(n: number): BenchSeries[] {
  return Array.from({ length: n }, (_, i) => {
    const metric = METRICS[i % METRICS.length]!;
    const service = `svc-${Math.floor(i / METRICS.length)}`;
    const labels = { instance: `i-${i}` };
    return { metric, service, labels, key: seriesKey('push', metric, { ...labels, service }) };
  });
}

/** Generators of the series' values, one per series, advanced once per minute. */
export function valueGenerators(seed: number, n: number): SyntheticSeries[] {
  return Array.from({ length: n }, (_, i) => syntheticSeries(seed, i));
}

/** One series in this many steps to STEP_FACTOR times its value from the minute minuteBodies is given (an event to open incidents on). */
export const STEPPED_EVERY = 100;
const STEP_FACTOR = 3;

/**
 * The push bodies of one minute: chunk c carries series [c*1000, (c+1)*1000).
 * From minute `stepFrom` on, every STEPPED_EVERY-th series is stepped.
 * Advances the generators.
 */
export function minuteBodies(
  series: readonly BenchSeries[],
  values: readonly SyntheticSeries[],
  minute: number,
  stepFrom: number,
): PushBody[] {
  const t = START_T + minute * STEP_MS;
  const bodies: PushBody[] = [];
  for (let from = 0; from < series.length; from += SERIES_PER_BODY) {
    const chunk = series.slice(from, from + SERIES_PER_BODY);
    bodies.push({
      series: chunk.map((s, k) => {
        const i = from + k;
        const v = values[i]!.next() * (minute >= stepFrom && i % STEPPED_EVERY === 0 ? STEP_FACTOR : 1);
        return { metric: s.metric, service: s.service, labels: { ...s.labels }, points: [{ t, v }] };
      }),
    });
  }
  return bodies;
}

/** Points per history body: well within the push API's 1 MB body (about 40 bytes a point) and push.maxPoints. */
const POINTS_PER_BODY = 15_000;

/** Minutes 0..minutes-1 of every series, as few bodies as the push API's limits allow. Advances the generators. */
export function historyBodies(
  series: readonly BenchSeries[],
  values: readonly SyntheticSeries[],
  minutes: number,
): PushBody[] {
  const perBody = Math.max(1, Math.min(SERIES_PER_BODY, Math.floor(POINTS_PER_BODY / minutes)));
  const bodies: PushBody[] = [];
  for (let from = 0; from < series.length; from += perBody) {
    bodies.push({
      series: series.slice(from, from + perBody).map((s, k) => ({
        metric: s.metric,
        service: s.service,
        labels: { ...s.labels },
        points: Array.from({ length: minutes }, (_, m) => ({ t: START_T + m * STEP_MS, v: values[from + k]!.next() })),
      })),
    });
  }
  return bodies;
}
