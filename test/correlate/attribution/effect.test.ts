/** deployEffect: the one judgement of a deploy on a series, shared by verdicts and attribution. */
import { judgeDeploy, rankSuspects, type IncidentSeries } from '../../../src/correlate/index.js';
import { deployEffect } from '../../../src/correlate/attribution/effect.js';
import { deploy, MIN, series, T0 } from './helpers.js';

const window = 30 * MIN;
const DAY = 1440;

describe('deployEffect windows', () => {
  test('the after side is the window after the rollout: restarts during the rollout alone are no shift', () => {
    // CPU doubles only while the 10-minute rollout replaces instances, then is back to normal.
    const d = deploy('d1', 'web', 100, 10);
    const points = series(60, 150, (m) => (m >= 100 && m < 110 ? 80 : 40), 0.05, 3);
    const e = deployEffect({ metric: 'cpu_pct', points }, d, { window, flagged: true });
    expect(e).toMatchObject({ moved: false, worse: false, duringRollout: false });
    expect(e!.shift.afterCount).toBe(30);
  });

  test('`until` stops the after side (an incident that began there is not evidence of what came before it)', () => {
    const d = deploy('d1', 'web', 100, 4);
    const points = series(60, 150, (m) => (m >= 120 ? 80 : 40), 0.05, 3);
    const before = deployEffect({ metric: 'cpu_pct', points }, d, { window, flagged: true, until: T0 + 120 * MIN });
    expect(before).toMatchObject({ moved: false, worse: false });
    expect(before!.shift.afterCount).toBe(16);
    expect(deployEffect({ metric: 'cpu_pct', points }, d, { window, flagged: true })).toMatchObject({
      moved: true,
      worse: true,
    });
  });

  test('an incident that began during a long canary rollout: the rollout stands in for the window after it', () => {
    // A canary from minute 100 to 130 whose tenth of traffic already raises CPU 40 -> 48; the incident at 115.
    const d = deploy('d1', 'web', 100, 30);
    const points = series(60, 150, (m) => (m >= 100 ? 48 : 40), 0.02, 3);
    const until = T0 + 115 * MIN;
    const e = deployEffect({ metric: 'cpu_pct', points }, d, { window, flagged: true, until });
    expect(e).toMatchObject({ moved: true, worse: true, duringRollout: true });
    expect(e!.shift.afterCount).toBe(15);
    // Memory is reset by the rollout's restarts: the rollout never stands in for it.
    expect(deployEffect({ metric: 'memory_pct', points }, d, { window, flagged: true, until })).toBeNull();
  });

  test('too few values after the rollout or in it before `until`: no judgement', () => {
    const d = deploy('d1', 'web', 100, 4);
    const points = series(60, 150, () => 40);
    expect(deployEffect({ metric: 'cpu_pct', points }, d, { window, flagged: true, until: T0 + 107 * MIN })).toBeNull();
  });
});

describe('attribution judges a deploy as its verdict does', () => {
  // A morning ramp (10 at midnight, +0.5 a minute) every day; the deploy at 08:00 of day 2, the incident 40 minutes later.
  const ramp = (m: number) => 10 + 0.5 * (m % DAY);
  const at = DAY + 480;
  const d = deploy('d1', 'web', at, 5);
  const points = series(at - 60, at + 45, ramp, 0.02, 5);
  const history = series(at - DAY - 60, at - DAY + 45, ramp, 0.02, 6);
  const cpu = (withHistory: boolean): IncidentSeries => ({
    seriesKey: 'cpu',
    service: 'web',
    metric: 'cpu_pct',
    points,
    inIncident: true,
    ...(withHistory ? { history } : {}),
  });
  const rank = (withHistory: boolean) =>
    rankSuspects({
      services: ['web'],
      onset: T0 + (at + 40) * MIN,
      deployments: [d],
      dependsOn: () => [],
      series: [cpu(withHistory)],
      stepMs: MIN,
    });

  test('a ramp the previous day also had is no shift at the deploy, for the incident as for the verdict', () => {
    const verdict = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: 'cpu', metric: 'cpu_pct', points, anomalousAfter: true, history }],
    });
    expect(verdict.outcome).toBe('pass');
    const withDays = rank(true);
    expect(withDays.suspects[0]!.reason).not.toMatch(/shifted at the deploy/);
    expect(withDays.suspect).toBeNull();
  });

  test('without previous days both read the ramp as a rise', () => {
    const verdict = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: 'cpu', metric: 'cpu_pct', points, anomalousAfter: true }],
    });
    expect(verdict.outcome).toBe('fail');
    expect(rank(false).suspects[0]!.reason).toMatch(/cpu_pct shifted at the deploy, before the incident was detected/);
  });
});
