/**
 * The KPI (AIOps Challenge 2018) scorer: ONE global threshold over all
 * series, swept over every distinct score, as ../shared/kpi/score.mjs does.
 * Pure.
 *
 *   paF1     delay-bounded point-adjusted F1: a labelled segment (a maximal
 *            run of label-1 points) counts as detected, all its points true
 *            positives, when one of its first delay+1 points scores >= the
 *            threshold; otherwise all its points are misses. Every label-0
 *            point scoring >= the threshold is a false positive.
 *   pointF1  plain point-wise F1.
 * Precision is tp / max(1, tp + fp). On equal F1 the higher threshold wins
 * (the sweep runs downwards and keeps only a strictly better F1).
 * perKpi: each series at the global paF1 threshold (none: nothing detected);
 * medianKpiF1 is the median of those F1s (mean of the middle two when even).
 */
export interface KpiScorable {
  readonly id: string;
  /** detector scores, one per point, in row order */
  readonly scores: ArrayLike<number>;
  /** 1 = anomalous point, 0 = normal; same length as scores */
  readonly labels: ArrayLike<number>;
}

export interface BestF1 {
  readonly f1: number;
  /** null when no threshold gives F1 > 0 */
  readonly threshold: number | null;
  readonly precision: number;
  readonly recall: number;
}

export interface KpiSeriesScore {
  readonly id: string;
  readonly segments: number;
  readonly detected: number;
  readonly falsePositivePoints: number;
  readonly paF1: number;
}

export interface KpiScore {
  readonly delay: number;
  readonly series: number;
  readonly points: number;
  readonly anomalous: number;
  readonly segments: number;
  readonly paF1: BestF1;
  readonly pointF1: BestF1;
  readonly perKpi: readonly KpiSeriesScore[];
  readonly medianKpiF1: number | null;
}

interface Segment {
  readonly max: number;
  readonly len: number;
}

/** Segments of one series: the max score over each segment's first delay+1 points, and its length. */
export function segmentsOf(scores: ArrayLike<number>, labels: ArrayLike<number>, delay: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i] || (i > 0 && labels[i - 1])) continue;
    let j = i;
    while (j + 1 < labels.length && labels[j + 1]) j++;
    let max = -Infinity;
    for (let t = i; t <= Math.min(j, i + delay); t++) max = Math.max(max, scores[t] as number);
    out.push({ max, len: j - i + 1 });
  }
  return out;
}

const f1Of = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/**
 * Best F1 over all thresholds. pos: scores with weights (true-positive
 * points gained when detected); neg: scores of normal points; totalPos:
 * the recall denominator.
 */
export function bestF1(posScore: Float64Array, posWeight: Float64Array, neg: Float64Array, totalPos: number): BestF1 {
  const order = Array.from(posScore.keys()).sort((a, b) => (posScore[b] as number) - (posScore[a] as number));
  const negDesc = Float64Array.from(neg).sort().reverse();
  let best: BestF1 = { f1: 0, threshold: null, precision: 0, recall: 0 };
  if (totalPos <= 0) return best;
  let i = 0,
    j = 0,
    tp = 0,
    fp = 0;
  while (i < order.length || j < negDesc.length) {
    const a = i < order.length ? (posScore[order[i] as number] as number) : -Infinity;
    const b = j < negDesc.length ? (negDesc[j] as number) : -Infinity;
    const th = Math.max(a, b);
    while (i < order.length && posScore[order[i] as number] === th) tp += posWeight[order[i++] as number] as number;
    while (j < negDesc.length && negDesc[j] === th) {
      fp++;
      j++;
    }
    const p = tp / Math.max(1, tp + fp),
      r = tp / totalPos,
      f1 = f1Of(p, r);
    if (f1 > best.f1) best = { f1, threshold: th, precision: p, recall: r };
  }
  return best;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

export function scoreKpi(series: readonly KpiScorable[], delay = 7): KpiScore {
  const segs: Segment[][] = [],
    normal: number[] = [],
    anomal: number[] = [];
  for (const s of series) {
    if (s.scores.length !== s.labels.length)
      throw new RangeError(`${s.id}: ${s.scores.length} scores vs ${s.labels.length} labels`);
    for (let i = 0; i < s.labels.length; i++) (s.labels[i] ? anomal : normal).push(s.scores[i] as number);
    segs.push(segmentsOf(s.scores, s.labels, delay));
  }
  const all = segs.flat();
  const pa = bestF1(
    Float64Array.from(all, (g) => g.max),
    Float64Array.from(all, (g) => g.len),
    Float64Array.from(normal),
    anomal.length,
  );
  const pt = bestF1(
    Float64Array.from(anomal),
    new Float64Array(anomal.length).fill(1),
    Float64Array.from(normal),
    anomal.length,
  );
  const th = pa.threshold ?? Infinity;
  const perKpi = series.map((s, k): KpiSeriesScore => {
    const mine = segs[k] ?? [];
    const pos = mine.reduce((n, g) => n + g.len, 0);
    const tp = mine.filter((g) => g.max >= th).reduce((n, g) => n + g.len, 0);
    let fp = 0;
    for (let i = 0; i < s.labels.length; i++) if (!s.labels[i] && (s.scores[i] as number) >= th) fp++;
    const p = tp / Math.max(1, tp + fp),
      r = tp / Math.max(1, pos);
    return {
      id: s.id,
      segments: mine.length,
      detected: mine.filter((g) => g.max >= th).length,
      falsePositivePoints: fp,
      paF1: f1Of(p, r),
    };
  });
  return {
    delay,
    series: series.length,
    points: normal.length + anomal.length,
    anomalous: anomal.length,
    segments: all.length,
    paF1: pa,
    pointF1: pt,
    perKpi,
    medianKpiF1: median(perKpi.map((k) => k.paF1)),
  };
}
