/** Mann-Whitney U and the deploy verdict built on it. */
import { judgeDeploy, mannWhitney } from '../../../src/correlate/index.js';
import { deploy, series, step } from './helpers.js';

describe('mannWhitney', () => {
  test('matches the textbook example (U, two-sided p, rank-biserial effect)', () => {
    // Classic small example: before 1..8, after 5..12 with no ties.
    const r = mannWhitney([1, 2, 3, 4, 5.5, 6.5, 7.5, 8.5], [5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.u).toBe(54);
    expect(r.effect).toBeCloseTo(54 / 32 - 1, 10);
    // z = (|54 - 32| - 0.5) / sqrt(64 * 17 / 12) = 2.2575...; p = 0.0240
    expect(r.p).toBeCloseTo(0.024, 3);
  });

  test('identical samples: no effect, p = 1; disjoint samples: effect ±1', () => {
    expect(mannWhitney([3, 3, 3, 3], [3, 3, 3, 3])).toMatchObject({ effect: 0, p: 1 });
    expect(mannWhitney([1, 2, 3, 4, 5, 6, 7, 8], [11, 12, 13, 14, 15, 16, 17, 18]).effect).toBe(1);
    expect(mannWhitney([11, 12, 13, 14, 15, 16, 17, 18], [1, 2, 3, 4, 5, 6, 7, 8]).effect).toBe(-1);
  });

  test('an empty side gives no evidence', () => {
    expect(mannWhitney([], [1, 2])).toEqual({ u: 0, p: 1, effect: 0 });
  });
});

describe('judgeDeploy', () => {
  const window = 30 * 60_000;
  const d = deploy('d1', 'checkout', 100, 5);

  test('latency up and flagged by the detector after the deploy: fail, naming the metric', () => {
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [
        {
          seriesKey: 'lat',
          metric: 'latency_p95_ms',
          points: series(0, 200, step(103, 100, 230)),
          anomalousAfter: true,
        },
        { seriesKey: 'cpu', metric: 'cpu_pct', points: series(0, 200, () => 40, 0.05, 2), anomalousAfter: false },
      ],
    });
    expect(v.outcome).toBe('fail');
    expect(v.summary).toMatch(/^fail: latency_p95_ms rose 2\.\dx \(p<0\.001\)$/);
    expect(v.shifts.find((s) => s.metric === 'cpu_pct')).toMatchObject({ moved: false, worse: false });
  });

  test('the same move without any anomaly after the deploy is only marginal', () => {
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [
        {
          seriesKey: 'lat',
          metric: 'latency_p95_ms',
          points: series(0, 200, step(103, 100, 230)),
          anomalousAfter: false,
        },
      ],
    });
    expect(v.outcome).toBe('marginal');
  });

  test('errors falling after the deploy is an improvement: pass', () => {
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [
        { seriesKey: 'err', metric: 'error_rate', points: series(0, 200, step(103, 0.05, 0.01)), anomalousAfter: true },
      ],
    });
    expect(v.outcome).toBe('pass');
    expect(v.shifts[0]).toMatchObject({ moved: true, worse: false });
    expect(v.summary).toBe('pass: 1 metric steady or better (30 min before vs after)');
  });

  test('the rollout itself is left out of the comparison', () => {
    // A brief blip during the 5-minute rollout only.
    const blip = series(0, 200, (m) => (m >= 100 && m < 105 ? 900 : 100));
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: 'lat', metric: 'latency_p95_ms', points: blip, anomalousAfter: true }],
    });
    expect(v.outcome).toBe('pass');
  });

  test('too little data on either side: inconclusive, saying so', () => {
    const v = judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [
        { seriesKey: 'lat', metric: 'latency_p95_ms', points: series(95, 110, () => 100), anomalousAfter: false },
      ],
    });
    expect(v.outcome).toBe('inconclusive');
    expect(v.summary).toMatch(/^inconclusive: not enough data/);
  });
});

describe('judgeDeploy against the same hours of previous days (daily.ts)', () => {
  const window = 30 * 60_000;
  const DAY = 1440;
  // A morning ramp: 10 at minute 0 of the day, rising 0.5 a minute (+7% across the deploy); the deploy at 08:00 of day 2.
  const ramp = (m: number) => 10 + 0.5 * (m % DAY);
  const at = DAY + 480;
  const d = deploy('d1', 'web', at, 5);
  const judge = (level: (m: number) => number, withHistory: boolean) => {
    const points = series(at - 40, at + 45, level, 0.02, 5);
    const history = withHistory ? series(at - DAY - 40, at - DAY + 45, ramp, 0.02, 6) : undefined;
    return judgeDeploy({
      deployment: d,
      window,
      decidedAt: 1,
      series: [{ seriesKey: 'cpu', metric: 'cpu_pct', points, anomalousAfter: true, ...(history ? { history } : {}) }],
    });
  };

  test('a deploy on a ramp the previous day also had is not blamed for the ramp', () => {
    expect(judge(ramp, false).outcome).toBe('fail');
    const v = judge(ramp, true);
    expect(v.outcome).toBe('pass');
    expect(v.shifts[0]).toMatchObject({ daily: true, worse: false });
  });

  test('a step on top of the ramp still fails it, beyond the daily pattern', () => {
    const v = judge((m) => ramp(m) + (m >= at + 3 ? 60 : 0), true);
    expect(v.outcome).toBe('fail');
    expect(v.summary).toMatch(/^fail: cpu_pct rose \d+% beyond the daily pattern \(p<0\.001\)$/);
  });
});
