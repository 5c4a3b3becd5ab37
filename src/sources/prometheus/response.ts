/**
 * The query_range response at the boundary: zod schemas for Prometheus'
 * envelope and matrix, and the mapping of a matrix to Vigil Series.
 * Pure. Sample values are strings in Prometheus' JSON ("1.5", "NaN",
 * "+Inf"); every non-number becomes NaN so the pipeline skips and counts it
 * instead of failing the whole fetch.
 */
import { z } from 'zod';
import { seriesKey } from '../../domain/index.js';
import type { Labels, Point, Series, TimeRange } from '../../domain/index.js';
import { SOURCE_ID } from './options.js';
import type { QueryParams } from './options.js';

const sample = z.tuple([z.number(), z.string()]);

export const matrixSchema = z.array(
  z.object({
    metric: z.record(z.string(), z.string()),
    values: z.array(sample).optional(),
    // Native histograms arrive here; Vigil scores floats only, so they are ignored.
    histograms: z.array(z.unknown()).optional(),
  }),
);

const successSchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('matrix'), result: matrixSchema }),
  warnings: z.array(z.string()).optional(),
});

const errorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string(),
  error: z.string(),
});

// Discriminated by status so a bad body is reported at its exact path (data.resultType, ...).
export const responseSchema = z.discriminatedUnion('status', [successSchema, errorSchema]);
export type PromResponse = z.output<typeof responseSchema>;
export type Matrix = z.output<typeof matrixSchema>;

/** Whether a Prometheus errorType is worth trying again (load, restarts, cancelled evaluation). */
export function retryableErrorType(errorType: string): boolean {
  return errorType === 'timeout' || errorType === 'unavailable' || errorType === 'canceled' || errorType === 'internal';
}

function serviceOf(labels: Labels, p: QueryParams): string {
  if (p.service !== undefined) return p.service;
  if (p.serviceLabel !== undefined) return labels[p.serviceLabel] ?? 'unknown';
  return labels.service ?? labels.job ?? 'unknown';
}

/** One Series per label set, points in [range.from, range.to), ascending. */
export function toSeries(matrix: Matrix, p: QueryParams, range: TimeRange): Series[] {
  return matrix.map((m) => {
    const { __name__: name, ...labels } = m.metric;
    const metric = name ?? p.metric;
    const points: Point[] = [];
    for (const [ts, raw] of m.values ?? []) {
      const t = Math.round(ts * 1000);
      if (t < range.from || t >= range.to) continue;
      const v = raw.trim() === '' ? NaN : Number(raw);
      // A Point holds a finite number or NaN (a gap): ±Inf becomes NaN too.
      points.push({ t, v: Number.isFinite(v) ? v : NaN });
    }
    points.sort((a, b) => a.t - b.t);
    return {
      ref: {
        key: seriesKey(SOURCE_ID, metric, labels),
        source: SOURCE_ID,
        metric,
        service: serviceOf(labels, p),
        labels,
      },
      points,
    };
  });
}

/** Joins series fetched in several chunks: same key, points concatenated in time order. */
export function mergeSeries(parts: readonly Series[]): Series[] {
  const byKey = new Map<string, Series>();
  for (const s of parts) {
    const prev = byKey.get(s.ref.key);
    byKey.set(s.ref.key, prev ? { ref: prev.ref, points: [...prev.points, ...s.points] } : s);
  }
  return [...byKey.values()];
}
