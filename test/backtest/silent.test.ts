/** silentOnFailedVerdicts: incidents that say "no deploy suspected" over a failed verdict on their own metrics, naming nothing against it. */
import { silentOnFailedVerdicts } from '../../src/backtest/index.js';
import type { BacktestResult } from '../../src/backtest/index.js';

type Inc = BacktestResult['incidents'][number];
const incident = (over: Partial<Inc>): Inc => ({
  id: 'i1',
  services: ['web'],
  series: ['r:latency_p95_ms{service="web"}'],
  openedAt: '2026-05-07T12:44:00.000Z',
  resolvedAt: null,
  kind: 'level_shift',
  headline: 'latency_p95_ms level shift',
  spread: null,
  suspect: null,
  attribution: 'no deploy suspected: best candidate d1 has confidence 0.45: web 2.12.6 started 19 min before onset',
  weighed: ['d1'],
  growth: null,
  ...over,
});
const verdict = (worse: string[], verdict: 'fail' | 'marginal' | 'pass' = 'fail') => ({
  deploymentId: 'd1',
  verdict,
  summary: `${verdict}: ...`,
  worse,
});
const latency = 'r:latency_p95_ms{service="web"}';

describe('silentOnFailedVerdicts', () => {
  test("no suspect, a weighed deploy failed on the incident's metric, and neither the verdict nor a competing explanation named: silent", () => {
    expect(silentOnFailedVerdicts({ incidents: [incident({})], verdicts: [verdict([latency])] })).toEqual(['i1']);
  });

  test('quoting the verdict, or naming a competing explanation, is not silent', () => {
    const quoted = incident({ attribution: 'no deploy suspected: ...; its verdict: latency_p95_ms rose 28%' });
    const competing = incident({ attribution: 'no deploy suspected: ...; competing explanation: db latency rose' });
    expect(silentOnFailedVerdicts({ incidents: [quoted, competing], verdicts: [verdict([latency])] })).toEqual([]);
  });

  test('a verdict that failed on other metrics, a marginal one, an unweighed deploy or a named suspect: nothing to say', () => {
    const cpu = 'r:cpu_pct{service="web"}';
    expect(silentOnFailedVerdicts({ incidents: [incident({})], verdicts: [verdict([cpu])] })).toEqual([]);
    expect(silentOnFailedVerdicts({ incidents: [incident({})], verdicts: [verdict([latency], 'marginal')] })).toEqual(
      [],
    );
    expect(silentOnFailedVerdicts({ incidents: [incident({ weighed: [] })], verdicts: [verdict([latency])] })).toEqual(
      [],
    );
    const named = incident({ suspect: { deploymentId: 'd1', confidence: 0.8, reason: 'x' } });
    expect(silentOnFailedVerdicts({ incidents: [named], verdicts: [verdict([latency])] })).toEqual([]);
  });
});
