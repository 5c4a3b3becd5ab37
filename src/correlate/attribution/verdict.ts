/**
 * Deploy verdicts: for every finished deploy, a before/after comparison of
 * the service's metrics (Mann-Whitney U per metric, as Kayenta does for
 * canaries, here for every deploy). The rollout itself is left out of the
 * "after" side. A metric "moved" when the shift is significant (p < 0.01),
 * large (|effect| >= 0.5) and material (median changed >= 5%); it counts
 * against the deploy when it moved in its bad direction. A metric that moved
 * for the worse AND was flagged anomalous by the detector after the deploy
 * fails it; a worse move alone (it may be time of day) makes it marginal.
 * Pure.
 */
import type { Deployment, DeployVerdict, MetricShift, Point, VerdictOutcome } from '../../domain/index.js';
import { isWorse } from '../../domain/direction.js';
import { describeChange, relativeChange, shiftAt } from './shift.js';

export interface VerdictSeries {
  readonly seriesKey: string;
  readonly metric: string;
  readonly points: readonly Point[];
  /** Whether the detector flagged this series from the deploy's start to one window after its rollout. */
  readonly anomalousAfter: boolean;
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
  const rollout = Math.max(0, (d.finishedAt ?? d.startedAt) - d.startedAt);
  const shifts: MetricShift[] = [];
  let failing = 0;
  for (const s of input.series) {
    const shift = shiftAt(s.points, d.startedAt, { window: input.window, skipAfter: rollout });
    if (!shift.sufficient) continue;
    const moved = shift.p < 0.01 && Math.abs(shift.effect) >= 0.5 && Math.abs(relativeChange(shift)) >= 0.05;
    const worse = moved && isWorse(s.metric, shift.effect);
    if (worse && s.anomalousAfter) failing++;
    shifts.push({
      seriesKey: s.seriesKey, metric: s.metric, beforeMedian: shift.beforeMedian, afterMedian: shift.afterMedian,
      beforeCount: shift.beforeCount, afterCount: shift.afterCount, pValue: shift.p, effect: shift.effect, moved, worse,
    });
  }
  const worse = shifts.filter((s) => s.worse);
  const outcome: VerdictOutcome = shifts.length === 0 ? 'inconclusive' : failing > 0 ? 'fail' : worse.length > 0 ? 'marginal' : 'pass';
  return { deploymentId: d.id, service: d.service, outcome, decidedAt: input.decidedAt, shifts, summary: summarise(outcome, shifts, input.window) };
}

function summarise(outcome: VerdictOutcome, shifts: readonly MetricShift[], window: number): string {
  const mins = Math.round(window / 60_000);
  if (outcome === 'inconclusive') return `inconclusive: not enough data around the deploy (${mins} min either side needed)`;
  const worse = shifts.filter((s) => s.worse);
  if (worse.length === 0) return `pass: ${shifts.length} metric${shifts.length === 1 ? '' : 's'} steady or better (${mins} min before vs after)`;
  const parts = worse
    .sort((a, b) => a.pValue - b.pValue)
    .slice(0, 3)
    .map((s) => `${s.metric} ${s.afterMedian >= s.beforeMedian ? 'rose' : 'fell'} ${describeChange(s.beforeMedian, s.afterMedian).replace(/^[+-]/, '')} (p${s.pValue < 0.001 ? '<0.001' : `=${s.pValue.toFixed(3)}`})`);
  return `${outcome}: ${parts.join(', ')}`;
}
