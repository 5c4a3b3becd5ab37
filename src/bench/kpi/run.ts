/**
 * Runs detectors over a KPI corpus and scores each with the KPI scorer.
 *
 * One fresh detector per series (SeriesRef source 'kpi', metric = KPI id),
 * every row fed in order. The raw per-point Score.value is scored, rounded
 * to 12 significant digits exactly as `vigil bench nab` prints it, so the
 * numbers equal what ../shared/kpi/score.mjs gives on `bench nab` results
 * of ../shared/kpi/prepare.mjs's corpus (ties at one threshold included).
 *
 * Effects: CPU only (the corpus is loaded by the caller). Failure modes:
 * VigilError E_BENCH_DETECTOR when a detector throws or scores outside [0,1].
 */
import { performance } from 'node:perf_hooks';
import { VigilError, seriesKey, type SeriesRef } from '../../domain/index.js';
import type { DetectorFactory } from '../../detect/types.js';
import { formatScore } from '../nab/results.js';
import type { KpiSeries } from './data.js';
import { scoreKpi, type KpiScore } from './score.js';

export interface KpiDetectorResult {
  readonly detector: string;
  /** detector time (create + update) */
  readonly seconds: number;
  readonly score: KpiScore;
}

export function kpiSeriesRef(s: KpiSeries): SeriesRef {
  return { key: seriesKey('kpi', s.id, {}), source: 'kpi', metric: s.id, service: 'kpi', labels: {} };
}

/** Rounded scores of one series under one detector, and the detector time. */
export function detectKpi(factory: DetectorFactory, s: KpiSeries): { scores: Float64Array; seconds: number } {
  const scores = new Float64Array(s.t.length);
  const started = performance.now();
  let i = 0;
  try {
    const d = factory.create(kpiSeriesRef(s));
    for (; i < s.t.length; i++) scores[i] = d.update({ t: s.t[i] as number, v: s.v[i] as number }).value;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new VigilError(
      'E_BENCH_DETECTOR',
      `detector "${factory.name}" failed on KPI ${s.id} row ${i}: ${why}`,
      false,
      { cause: err },
    );
  }
  const seconds = (performance.now() - started) / 1000;
  for (let k = 0; k < scores.length; k++) {
    const v = scores[k] as number;
    if (!(v >= 0 && v <= 1))
      throw new VigilError(
        'E_BENCH_DETECTOR',
        `detector "${factory.name}" gave score ${v} on KPI ${s.id} row ${k}; scores must be in [0,1]`,
      );
    scores[k] = Number(formatScore(v));
  }
  return { scores, seconds };
}

export function runKpi(series: readonly KpiSeries[], factory: DetectorFactory, delay = 7): KpiDetectorResult {
  let seconds = 0;
  const scored = series.map((s) => {
    const r = detectKpi(factory, s);
    seconds += r.seconds;
    return { id: s.id, scores: r.scores, labels: s.labels };
  });
  return { detector: factory.name, seconds, score: scoreKpi(scored, delay) };
}
