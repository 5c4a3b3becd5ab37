/**
 * The calibration benchmark: one detector over every developer series (NAB
 * files and KPI series), false alarms per 1,000 anomaly-free points at one
 * threshold (quiet.ts says which points count), and their spread over
 * series (spread.ts), overall and per corpus. A series with no counted
 * point (all warm-up or labelled) is listed but left out of the spread.
 *
 * The detector sees every point of a series, labelled or not, online and in
 * order (a fresh detector per series); only the counting skips points.
 * Effects: CPU only (corpora are loaded by the caller). Failure modes:
 * VigilError E_BENCH_DETECTOR from detectKpi; RangeError on a bad margin.
 */
import type { DetectorFactory } from '../../detect/types.js';
import type { NabCorpus } from '../nab/data.js';
import type { KpiSeries } from '../kpi/data.js';
import { detectKpi } from '../kpi/run.js';
import { countAlarms, labelledRanges, quietMask } from './quiet.js';
import { spread, type Spread } from './spread.js';

export interface SeriesRate {
  readonly corpus: 'nab' | 'kpi';
  readonly id: string;
  readonly rows: number;
  /** anomaly-free points counted */
  readonly points: number;
  readonly alarms: number;
  /** alarms per 1,000 counted points; null when none counted */
  readonly perThousand: number | null;
}

export interface CalibrationResult {
  readonly detector: string;
  readonly threshold: number;
  readonly margin: number;
  readonly series: readonly SeriesRate[];
  readonly spread: Spread;
  readonly byCorpus: { readonly nab: Spread | null; readonly kpi: Spread | null };
}

export interface CalibrationOptions {
  readonly factory: DetectorFactory;
  readonly threshold: number;
  readonly margin: number;
  readonly nab: NabCorpus | null;
  readonly kpi: readonly KpiSeries[] | null;
  readonly onSeries?: (r: SeriesRate) => void;
}

export function runCalibration(o: CalibrationOptions): CalibrationResult {
  const series: SeriesRate[] = [];
  const add = (
    corpus: SeriesRate['corpus'],
    id: string,
    scores: Float64Array,
    ranges: Parameters<typeof quietMask>[1],
  ): void => {
    const { points, alarms } = countAlarms(scores, quietMask(scores.length, ranges, o.margin), o.threshold);
    const r: SeriesRate = {
      corpus,
      id,
      rows: scores.length,
      points,
      alarms,
      perThousand: points === 0 ? null : (1000 * alarms) / points,
    };
    series.push(r);
    o.onSeries?.(r);
  };
  for (const f of o.nab?.files ?? []) {
    // A NAB file as a KPI-shaped series so both corpora go through one detector loop.
    const { scores } = detectKpi(o.factory, {
      id: f.key.replace(/\.csv$/, ''),
      path: f.path,
      t: f.t,
      v: f.v,
      labels: new Uint8Array(f.rows),
    });
    add('nab', f.key, scores, f.windows);
  }
  for (const s of o.kpi ?? []) add('kpi', s.id, detectKpi(o.factory, s).scores, labelledRanges(s.labels));
  const rates = (c?: SeriesRate['corpus']): number[] =>
    series
      .filter((r) => r.perThousand !== null && (c === undefined || r.corpus === c))
      .map((r) => r.perThousand as number);
  return {
    detector: o.factory.name,
    threshold: o.threshold,
    margin: o.margin,
    series,
    spread: spread(rates()),
    byCorpus: { nab: o.nab ? spread(rates('nab')) : null, kpi: o.kpi ? spread(rates('kpi')) : null },
  };
}
