/**
 * Latency distributions of the run.
 *
 * Score latency cannot be read per point from outside the pipeline (a point's
 * score is committed with its pull job's batch), so it is derived from two
 * monotone curves: arrivals (how many points were accepted by when) and
 * scored counts sampled from every process's vigil_points_ingested_total.
 * The k-th point accepted is matched with the first sample at which k points
 * were scored (first in, first out). The result is exact when points are
 * scored in arrival order and otherwise has the same distribution shape up
 * to reordering within a backlog; its resolution is the sampling interval.
 */
import type { LatencySummary } from './types.js';

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarise(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    samples: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : null,
  };
}

/**
 * arrivals: (time, points accepted then), in any order; samples: (time,
 * cumulative scored), in time order. Points never seen scored get no value.
 */
export function fifoLatencies(
  arrivals: ReadonlyArray<{ at: number; n: number }>,
  samples: ReadonlyArray<{ at: number; scored: number }>,
): Float64Array {
  const ordered = [...arrivals].sort((a, b) => a.at - b.at);
  const total = ordered.reduce((n, a) => n + a.n, 0);
  const out = new Float64Array(Math.min(total, samples.length ? samples[samples.length - 1]!.scored : 0));
  let k = 0;
  let s = 0;
  for (const a of ordered) {
    for (let i = 0; i < a.n && k < out.length; i++, k++) {
      while (s < samples.length && samples[s]!.scored < k + 1) s++;
      const sample = samples[s];
      if (!sample) return out.subarray(0, k);
      // Only a sample from before the request was sent could precede it (it counted other points); clamp at 0.
      out[k] = Math.max(0, sample.at - a.at);
    }
  }
  return out;
}
