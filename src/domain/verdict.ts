/**
 * A deploy verdict: a before/after comparison of a service's metrics around
 * one deployment, for every deploy (not only canaries). Times are epoch ms.
 */
export type VerdictOutcome = 'pass' | 'marginal' | 'fail' | 'inconclusive';

/** One metric's before/after comparison. */
export interface MetricShift {
  readonly seriesKey: string;
  readonly metric: string;
  readonly beforeMedian: number;
  readonly afterMedian: number;
  readonly beforeCount: number;
  readonly afterCount: number;
  /** Two-sided Mann-Whitney U p-value. */
  readonly pValue: number;
  /** Rank-biserial correlation in [-1,1]: positive means values rose after the deploy. */
  readonly effect: number;
  /** Whether this metric counts as moved (significant and large enough), and which way is bad for it. */
  readonly moved: boolean;
  readonly worse: boolean;
  /**
   * Set when the metric accumulates (memory, disk, queues) and, with no
   * trend before the deploy, climbed after the rollout past anything seen before (a leak): the
   * Theil-Sen slope per minute and the Mann-Kendall p-value. Such a metric
   * counts as moved and worse even when its median has barely changed yet.
   */
  readonly trend?: { readonly perMinute: number; readonly pValue: number };
  /**
   * Set when the test ran on the difference from the same times of previous
   * days (the time of day taken out); `afterMedian` is then the before median
   * moved by the change the daily pattern does not explain.
   */
  readonly daily?: boolean;
  /** Set when the test that decided compared the rollout itself (a canary's share) with before it. */
  readonly duringRollout?: boolean;
}

export interface DeployVerdict {
  readonly deploymentId: string;
  readonly service: string;
  readonly outcome: VerdictOutcome;
  /** Data time the verdict was reached. */
  readonly decidedAt: number;
  readonly shifts: readonly MetricShift[];
  /** One line for people: "fail: p99 latency rose 2.3x (p<0.001), error rate rose 4x". */
  readonly summary: string;
}
