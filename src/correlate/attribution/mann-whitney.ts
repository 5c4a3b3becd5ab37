/**
 * Mann-Whitney U test (Wilcoxon rank-sum), the non-parametric before/after
 * comparison Kayenta uses for canaries: no normality assumption, robust to
 * outliers. Normal approximation with tie correction and continuity
 * correction; adequate from about 8 values a side, which is the least the
 * callers ask for. Pure.
 */
export interface UTest {
  readonly u: number;
  /** Two-sided p-value. */
  readonly p: number;
  /**
   * Rank-biserial correlation in [-1,1]: the probability that an `after`
   * value exceeds a `before` value, minus the reverse. +1: every after value
   * is larger; 0: no shift.
   */
  readonly effect: number;
}

export function mannWhitney(before: readonly number[], after: readonly number[]): UTest {
  const n1 = before.length;
  const n2 = after.length;
  if (n1 === 0 || n2 === 0) return { u: 0, p: 1, effect: 0 };
  const all = [...before.map((v) => ({ v, after: false })), ...after.map((v) => ({ v, after: true }))].sort(
    (a, b) => a.v - b.v,
  );
  let rankSumAfter = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if (all[k]!.after) rankSumAfter += rank;
    i = j + 1;
  }
  // U counts pairs (before, after) with after > before (ties count half).
  const u = rankSumAfter - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const effect = (2 * u) / (n1 * n2) - 1;
  if (variance <= 0) return { u, p: 1, effect };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalTail(Math.max(0, z))), effect };
}

/** P(Z > z) for a standard normal (Abramowitz-Stegun 7.1.26 through erfc; error < 1.5e-7). */
export function normalTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}
