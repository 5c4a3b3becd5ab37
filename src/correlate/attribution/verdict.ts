/**
 * Deploy verdicts: for every finished deploy, what it did to each of the
 * service's metrics, judged as attribution judges it (effect.ts: a U-test
 * of one window before the deploy against one window after its rollout,
 * against previous days when the store has them, and a trend test for what
 * accumulates). A metric that got worse AND was flagged anomalous by the
 * detector after the deploy fails it; a worse move alone (it may be the time
 * of day) makes it marginal. Pure.
 */
import type { Deployment, DeployVerdict, MetricShift, Point, VerdictOutcome } from '../../domain/index.js';
import { describeChange } from './shift.js';
import { deployEffect } from './effect.js';

export interface VerdictSeries {
  readonly seriesKey: string;
  readonly metric: string;
  readonly points: readonly Point[];
  /** Whether the detector flagged this series from the deploy's start to one window after its rollout. */
  readonly anomalousAfter: boolean;
  /**
   * The same windows on previous days (daily.ts), when the store still has
   * them: the before/after test then runs on the difference from them.
   */
  readonly history?: readonly Point[];
}

export interface VerdictInput {
  readonly deployment: Deployment;
  readonly series: readonly VerdictSeries[];
  /** Length of each side of the comparison (ms). */
  readonly window: number;
  readonly decidedAt: number;
}

export function judgeDeploy(input: VerdictInput): DeployVerdict {
  const d = input.deployment;
  const shifts: MetricShift[] = [];
  let failing = 0;
  for (const s of input.series) {
    // Not `anomalousAfter` for the trend: flagged anywhere in the window after the deploy may be an unrelated event's series; the leak test stays with what accumulates.
    const e = deployEffect(s, d, { window: input.window, flagged: false });
    if (!e) continue;
    if (e.worse && s.anomalousAfter) failing++;
    shifts.push({
      seriesKey: s.seriesKey,
      metric: s.metric,
      beforeMedian: e.shift.beforeMedian,
      afterMedian: e.shift.afterMedian,
      beforeCount: e.shift.beforeCount,
      afterCount: e.shift.afterCount,
      pValue: e.shift.p,
      effect: e.shift.effect,
      moved: e.moved,
      worse: e.worse,
      ...(e.daily ? { daily: true } : {}),
      ...(e.duringRollout ? { duringRollout: true } : {}),
      ...(e.trend ? { trend: e.trend } : {}),
    });
  }
  const worse = shifts.filter((s) => s.worse);
  const outcome: VerdictOutcome =
    shifts.length === 0 ? 'inconclusive' : failing > 0 ? 'fail' : worse.length > 0 ? 'marginal' : 'pass';
  return {
    deploymentId: d.id,
    service: d.service,
    outcome,
    decidedAt: input.decidedAt,
    shifts,
    summary: summarise(outcome, shifts, input.window),
  };
}

function summarise(outcome: VerdictOutcome, shifts: readonly MetricShift[], window: number): string {
  const mins = Math.round(window / 60_000);
  if (outcome === 'inconclusive')
    return `inconclusive: not enough data around the deploy (${mins} min either side needed)`;
  const worse = shifts.filter((s) => s.worse);
  if (worse.length === 0)
    return `pass: ${shifts.length} metric${shifts.length === 1 ? '' : 's'} steady or better (${mins} min before vs after)`;
  const parts = worse
    .sort((a, b) => (a.trend?.pValue ?? a.pValue) - (b.trend?.pValue ?? b.pValue))
    .slice(0, 3)
    .map((s) =>
      s.trend
        ? `${s.metric} ${s.trend.perMinute >= 0 ? 'climbing +' : 'falling '}${s.trend.perMinute.toPrecision(2)} a minute since the rollout (Mann-Kendall ${pText(s.trend.pValue)})`
        : `${s.metric} ${s.afterMedian >= s.beforeMedian ? 'rose' : 'fell'} ${describeChange(s.beforeMedian, s.afterMedian).replace(/^[+-]/, '')}${s.daily ? ' beyond the daily pattern' : ''}${s.duringRollout ? ' during the rollout' : ''} (${pText(s.pValue)})`,
    );
  return `${outcome}: ${parts.join(', ')}`;
}

const pText = (p: number) => `p${p < 0.001 ? '<0.001' : `=${p.toFixed(3)}`}`;
