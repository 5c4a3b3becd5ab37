/** A leak's growth: its slope, its limit from the metric's name, and when it is full at that rate. */
import { growthOf, limitOf } from '../../../src/correlate/attribution/growth.js';
import { describeGrowth } from '../../../src/incidents/index.js';
import { MIN, series, T0 } from './helpers.js';

const onset = T0 + 100 * MIN;
const leak = (metric: string, from = 60, rate = 0.2) => ({
  seriesKey: `api:${metric}`,
  metric,
  points: series(0, 130, (m) => (m < from ? 40 : 40 + rate * (m - from)), 0.003, 5),
});

describe('growthOf', () => {
  test('a percentage climbing 0.2 a minute: the slope, the limit 100 and when it gets there', () => {
    const g = growthOf([leak('memory_pct')], onset, 30 * MIN)!;
    expect(g.metric).toBe('memory_pct');
    expect(g.perMinute).toBeCloseTo(0.2, 1);
    expect(g.limit).toBe(100);
    expect(g.at).toBe(T0 + 129 * MIN);
    // At minute 129 the level is about 53.8: (100 - 53.8) / 0.2 = about 231 minutes more.
    expect((g.fullAt! - g.at) / MIN).toBeGreaterThan(200);
    expect((g.fullAt! - g.at) / MIN).toBeLessThan(260);
    expect(describeGrowth(g)).toMatch(/^memory_pct \+0\.2\d? a minute; 100 in about 4 h at this rate$/);
  });

  test('a level without a trend, a metric that does not accumulate, or too few points: none', () => {
    expect(
      growthOf([{ seriesKey: 'm', metric: 'memory_pct', points: series(0, 130, () => 40, 0.01, 5) }], onset, 30 * MIN),
    ).toBeNull();
    expect(growthOf([leak('latency_p95_ms')], onset, 30 * MIN)).toBeNull();
    expect(
      growthOf([{ ...leak('memory_pct'), points: leak('memory_pct').points.slice(-4) }], onset, 30 * MIN),
    ).toBeNull();
  });

  test('without a known limit it gives the slope only; of two, the one full first wins', () => {
    const bytes = growthOf([leak('heap_bytes')], onset, 30 * MIN)!;
    expect(bytes.limit).toBeNull();
    expect(bytes.fullAt).toBeNull();
    expect(describeGrowth(bytes)).toMatch(/^heap_bytes \+0\.2\d? a minute$/);
    const fast = growthOf([leak('memory_pct'), leak('disk_used_pct', 60, 0.5)], onset, 30 * MIN)!;
    expect(fast.metric).toBe('disk_used_pct');
  });

  test('limits from names: percentages 100, ratios 1, anything else unknown', () => {
    expect(limitOf('memory_pct')).toBe(100);
    expect(limitOf('disk_utilization')).toBe(100);
    expect(limitOf('pool_usage_ratio')).toBe(1);
    expect(limitOf('queue_depth')).toBeNull();
  });
});
