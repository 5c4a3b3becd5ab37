/**
 * Measurements of a forecaster on fresh synthetic series, through the same
 * online scorer production uses: residuals for the calibration table,
 * calibration checks and detection quality for the model card.
 *
 * Pure given the Rng (timings excepted, which only the card reports).
 */
import type { LearnedModel, Mlp } from '../../detect/learned/index.js';
import type { Rng } from './rng.js';
import { generateSeries } from './synthetic.js';

export interface EvalSet {
  readonly series: number;
  readonly length: number;
}

/** Per series, |z| of every ready, ordinary point (no anomaly, no abrupt normal event) of clean series. */
export function collectAbsZ(model: LearnedModel, rng: Rng, o: EvalSet): Float64Array[] {
  const all: Float64Array[] = [];
  for (let s = 0; s < o.series; s++) {
    const m = model.create();
    const { values, event } = generateSeries(rng, { length: o.length, anomalies: false });
    const out: number[] = [];
    for (let t = 0; t < values.length; t++) {
      const u = m.update(t, values[t] as number);
      if (u.ready && !event[t]) out.push(Math.abs(u.z));
    }
    all.push(Float64Array.from(out));
  }
  return all;
}

export interface CalibrationCheck {
  /** Share of ordinary clean points with surprise above 0.99 / 0.999 (ideal: 0.01 / 0.001). */
  readonly exceed99: number;
  readonly exceed999: number;
}

export function calibrationCheck(model: LearnedModel, rng: Rng, o: EvalSet): CalibrationCheck {
  let n = 0;
  let a = 0;
  let b = 0;
  for (let s = 0; s < o.series; s++) {
    const m = model.create();
    const { values, event } = generateSeries(rng, { length: o.length, anomalies: false });
    for (let t = 0; t < values.length; t++) {
      const u = m.update(t, values[t] as number);
      if (!u.ready || event[t]) continue;
      n++;
      if (u.surprise > 0.99) a++;
      if (u.surprise > 0.999) b++;
    }
  }
  return { exceed99: a / Math.max(1, n), exceed999: b / Math.max(1, n) };
}

export interface DetectionMetrics {
  /** ROC AUC of |z| for injected-anomaly onsets against all non-anomalous ready points. */
  readonly auc: number;
  /** Share of injected-anomaly onsets with surprise > 0.999. */
  readonly recall999: number;
  /** Share of non-anomalous points with surprise > 0.999 (they include after-effects of anomalies). */
  readonly falseAlarm999: number;
  readonly anomalies: number;
  readonly points: number;
  /** Scoring throughput of this run, points per second (informational). */
  readonly pointsPerSecond: number;
}

export function detectionMetrics(model: LearnedModel, rng: Rng, o: EvalSet): DetectionMetrics {
  const scores: number[] = [];
  const labels: number[] = [];
  let pos = 0;
  let hit = 0;
  let fa = 0;
  let elapsed = 0;
  let seen = 0;
  for (let s = 0; s < o.series; s++) {
    const m = model.create();
    const { values, anomaly } = generateSeries(rng, { length: o.length, anomalies: true });
    const start = performance.now();
    const verdicts = Array.from(values, (v, t) => m.update(t, v));
    elapsed += performance.now() - start;
    seen += values.length;
    verdicts.forEach((u, t) => {
      // Onsets only: later points of a dropout or burst are forecastable from the
      // anomaly itself, and the first point is the one an alert must catch.
      if (!u.ready || (anomaly[t] && anomaly[t - 1])) return;
      const label = anomaly[t] as number;
      scores.push(Math.abs(u.z));
      labels.push(label);
      if (label) {
        pos++;
        if (u.surprise > 0.999) hit++;
      } else if (u.surprise > 0.999) fa++;
    });
  }
  return {
    auc: rocAuc(scores, labels),
    recall999: hit / Math.max(1, pos),
    falseAlarm999: fa / Math.max(1, scores.length - pos),
    anomalies: pos,
    points: scores.length,
    pointsPerSecond: Math.round(seen / Math.max(1e-9, elapsed / 1000)),
  };
}

/** Mann-Whitney AUC, ties counted half. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && scores[idx[j] as number] === scores[idx[i] as number]) j++;
    const rank = (i + j + 1) / 2; // average 1-based rank of the tie group
    for (let k = i; k < j; k++) {
      if (labels[idx[k] as number]) {
        rankSum += rank;
        pos++;
      }
    }
    i = j;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface ForecastErrors {
  readonly mae: number;
  /** MAE of the naive "next = last" forecast in the same normalised space. */
  readonly persistenceMae: number;
}

/** Mean absolute error of the network's mean on normalised pairs (robust to the heavy-tailed targets). */
export function forecastErrors(net: Mlp, x: Float32Array, y: Float32Array, window: number): ForecastErrors {
  const out = new Float64Array(2);
  let a = 0;
  let b = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * window, (i + 1) * window);
    net.forward(row, out);
    a += Math.abs((y[i] as number) - (out[0] as number));
    b += Math.abs((y[i] as number) - (row[window - 1] as number));
  }
  return { mae: a / Math.max(1, n), persistenceMae: b / Math.max(1, n) };
}
