/** Trend evidence: Mann-Kendall and Theil-Sen on hand-built series, and a slow leak in suspect ranking and in deploy verdicts. */
import { mannKendall, startedTrending, trendChange, trendSign } from '../../../src/correlate/attribution/trend.js';
import { judgeDeploy, rankSuspects, type IncidentSeries } from '../../../src/correlate/index.js';
import { deploy, MIN, series, T0 } from './helpers.js';

/** Memory of a service deployed at minute 100 (rollout to 104): a restart dip during the rollout, then `after(minute)`. */
function memory(after: (m: number) => number): IncidentSeries {
  const level = (m: number) => (m < 100 ? 40 : m < 104 ? 38 : after(m));
  return {
    seriesKey: 'api:memory_pct',
    service: 'api',
    metric: 'memory_pct',
    inIncident: true,
    points: series(0, 160, level, 0.004, 7),
  };
}
const leak = (m: number) => 38 + 0.2 * (m - 104);

describe('mannKendall', () => {
  test('a steady climb has a tiny p-value, tau near 1 and the Theil-Sen slope of the climb', () => {
    const t = mannKendall(series(0, 30, (m) => 10 + 0.5 * m, 0.002));
    expect(t.p).toBeLessThan(0.001);
    expect(t.tau).toBeGreaterThan(0.9);
    expect(t.slope * MIN).toBeCloseTo(0.5, 1);
  });

  test('noise around a level is no trend, and a constant series gives p = 1', () => {
    expect(mannKendall(series(0, 30, () => 10, 0.05)).p).toBeGreaterThan(0.05);
    const flat = mannKendall(series(0, 20, () => 3, 0));
    expect(flat.p).toBe(1);
    expect(flat.slope).toBe(0);
  });
});

describe('trendChange and startedTrending', () => {
  const at = T0 + 100 * MIN;
  const from = T0 + 104 * MIN;

  test('flat before the deploy, climbing past the old level after its rollout: started', () => {
    const c = trendChange(memory(leak).points, at, 30 * MIN, T0 + 125 * MIN, 1, from);
    expect(startedTrending(c, 1, 8)).toBe(true);
  });

  test('memory that only recovers from the restart to its old level has not started anything', () => {
    const recover = (m: number) => Math.min(40, 38 + 0.2 * (m - 104));
    const c = trendChange(memory(recover).points, at, 30 * MIN, T0 + 140 * MIN, 1, from);
    expect(startedTrending(c, 1, 8)).toBe(false);
  });

  test('a series already climbing before the deploy did not start at it', () => {
    const points = series(0, 160, (m) => 20 + 0.2 * m, 0.004, 7);
    const c = trendChange(points, at, 30 * MIN, T0 + 130 * MIN, 1, from);
    expect(c.after.p).toBeLessThan(0.01);
    expect(startedTrending(c, 1, 8)).toBe(false);
  });

  test('too few values on a side say nothing', () => {
    const c = trendChange(memory(leak).points, at, 30 * MIN, T0 + 110 * MIN, 1, from);
    expect(startedTrending(c, 1, 8)).toBe(false);
  });
});

describe('rankSuspects: a slow leak that began at a deploy', () => {
  test('the deploy is the suspect, and the reason gives the slope since the deploy', () => {
    const r = rankSuspects({
      services: ['api'],
      onset: T0 + 128 * MIN,
      deployments: [deploy('d1', 'api', 100)],
      dependsOn: () => [],
      series: [memory(leak)],
      stepMs: MIN,
    });
    expect(r.suspect?.deploymentId).toBe('d1');
    expect(r.suspect!.reason).toMatch(
      /memory_pct started to climb at the deploy, before the incident was detected \(\+0\.2\d? a minute since, no such trend before; Mann-Kendall p=/,
    );
  });

  test('memory that only recovered from the restart leaves the deploy unsuspected', () => {
    const recover = (m: number) => Math.min(40, 38 + 0.2 * (m - 104));
    const r = rankSuspects({
      services: ['api'],
      onset: T0 + 128 * MIN,
      deployments: [deploy('d1', 'api', 100)],
      dependsOn: () => [],
      series: [memory(recover)],
      stepMs: MIN,
    });
    expect(r.suspect).toBeNull();
  });
});

describe('judgeDeploy: a leak that starts at the deploy', () => {
  const window = 30 * MIN;
  const d = deploy('d1', 'api', 100);
  const slow = (m: number) => 38 + 0.15 * (m - 104);

  test('fails the deploy while the median has barely moved, naming the slope', () => {
    const s = memory(slow);
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: s.seriesKey, metric: s.metric, points: s.points, anomalousAfter: true }],
    });
    // The before/after medians differ by under 5%: the U-test alone would pass this deploy.
    expect(Math.abs(v.shifts[0]!.afterMedian / v.shifts[0]!.beforeMedian - 1)).toBeLessThan(0.05);
    expect(v.outcome).toBe('fail');
    expect(v.shifts[0]).toMatchObject({ moved: true, worse: true });
    expect(v.shifts[0]!.trend!.perMinute).toBeCloseTo(0.15, 1);
    expect(v.summary).toMatch(
      /^fail: memory_pct climbing \+0\.1\d a minute since the rollout \(Mann-Kendall p<0\.001\)$/,
    );
  });

  test('memory that only recovers from the restart passes', () => {
    const s = memory((m) => Math.min(40, 38 + 0.2 * (m - 104)));
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: s.seriesKey, metric: s.metric, points: s.points, anomalousAfter: true }],
    });
    expect(v.outcome).toBe('pass');
    expect(v.shifts[0]!.trend).toBeUndefined();
  });
});

describe('trendSign', () => {
  test('resources that accumulate leak upwards, flagged or not', () => {
    expect(trendSign('memory_pct', false)).toBe(1);
    expect(trendSign('queue_depth', false)).toBe(1);
  });

  test('latency and traffic trend with the time of day: they count only when the detector flagged them', () => {
    expect(trendSign('latency_p95_ms', false)).toBeNull();
    expect(trendSign('latency_p95_ms', true)).toBe(1);
    expect(trendSign('requests', false)).toBeNull();
    expect(trendSign('requests', true)).toBe(-1);
  });

  test('a metric with no bad direction never counts', () => {
    expect(trendSign('temperature', true)).toBeNull();
  });
});
