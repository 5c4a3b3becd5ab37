/**
 * The check behind "an incident never says 'no deploy suspected' about a
 * deploy whose verdict failed on the incident's own metrics, unless it
 * names the competing evidence": over a backtest's output, the incidents
 * that break it. Attribution weighs a decided verdict (rank.ts) and quotes
 * it ("its verdict: ..."), or names what competes with the deploy
 * ("competing ..."); an incident that does neither is silent. Pure.
 */
import type { BacktestResult } from './run.js';

/** Ids of the incidents silent about a failed verdict of a deploy they weighed. */
export function silentOnFailedVerdicts(result: Pick<BacktestResult, 'incidents' | 'verdicts'>): string[] {
  const failed = new Map(result.verdicts.filter((v) => v.verdict === 'fail').map((v) => [v.deploymentId, v.worse]));
  return result.incidents
    .filter((i) => {
      if (i.suspect !== null) return false;
      const own = new Set(i.series);
      const against = i.weighed.some((id) => failed.get(id)?.some((key) => own.has(key)));
      return against && !/its verdict|competing/.test(i.attribution);
    })
    .map((i) => i.id);
}
