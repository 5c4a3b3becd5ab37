/**
 * How evenly one threshold spreads false alarms over series (DESIGN: one
 * threshold means the same false-alarm rate on every series). Pure.
 *
 * Rates are false alarms per 1,000 anomaly-free points. Quantiles
 * interpolate linearly between order statistics (q * (n - 1)), so p10 and
 * p90 of a few series are honest about their spread. Ratios are null when
 * the denominator is 0. "Within 2x" counts series with
 * median / 2 <= rate <= 2 * median (when the median is 0, only zero rates).
 */
export interface Spread {
  readonly series: number;
  readonly median: number | null;
  readonly p10: number | null;
  readonly p90: number | null;
  readonly p90OverP10: number | null;
  /** series with at least one false alarm */
  readonly nonzero: number;
  /** max / min over series with a nonzero rate */
  readonly maxOverMinNonzero: number | null;
  readonly withinFactor2: number;
}

export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = q * (sorted.length - 1),
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  const a = sorted[lo] as number,
    b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : a / b;

export function spread(rates: readonly number[]): Spread {
  if (rates.some((r) => !(r >= 0) || !Number.isFinite(r)))
    throw new RangeError('rates must be finite and non-negative');
  const s = [...rates].sort((a, b) => a - b);
  const median = quantile(s, 0.5),
    p10 = quantile(s, 0.1),
    p90 = quantile(s, 0.9);
  const nz = s.filter((r) => r > 0);
  const within = median === null ? 0 : s.filter((r) => r >= median / 2 && r <= median * 2).length;
  return {
    series: s.length,
    median,
    p10,
    p90,
    p90OverP10: ratio(p90, p10),
    nonzero: nz.length,
    maxOverMinNonzero: nz.length === 0 ? null : (nz[nz.length - 1] as number) / (nz[0] as number),
    withinFactor2: within,
  };
}
