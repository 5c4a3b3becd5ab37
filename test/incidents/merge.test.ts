import type { Anomaly } from '../../src/domain/index.js';
import { deviationOf, mergeAnomalies, newIncident } from '../../src/incidents/merge.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 13, 2, 9);

function anomaly(
  seriesKey: string,
  i: number,
  observed: number,
  expected: number,
  band: [number, number],
  score: number,
): Anomaly {
  return {
    seriesKey,
    service: 'api',
    metric: seriesKey,
    t: T0 + i * MIN,
    observed,
    expected,
    band,
    score,
    kind: 'level_shift',
  };
}

describe('incident headline', () => {
  it('measures later anomalies against the baseline frozen at onset, not the adapted expectation', () => {
    const onset = anomaly('latency_p95_ms', 0, 470, 280, [250, 310], 0.65);
    // The detector has adapted: its own expectation is now near the new level, and it scores higher.
    const later = anomaly('latency_p95_ms', 5, 490, 465, [440, 490], 0.9);
    const incident = mergeAnomalies(newIncident('api', onset), [later]);
    expect(incident.headline).toMatchObject({ observed: 490, expected: 280, band: [250, 310], t: later.t });
    expect(incident.headline.deviation).toBeCloseTo(210 / 30, 6);
    expect(incident.baselines).toEqual({ latency_p95_ms: { expected: 280, band: [250, 310] } });
  });

  it('changes only for a larger deviation, whatever the score', () => {
    const onset = anomaly('error_rate', 0, 0.07, 0.01, [0.005, 0.015], 0.4);
    const smaller = anomaly('error_rate', 1, 0.06, 0.05, [0.04, 0.06], 0.99);
    const first = newIncident('api', onset);
    expect(mergeAnomalies(first, [smaller]).headline).toBe(first.headline);
    // Another series that moved more, in its own band widths, takes the headline.
    const cpu = anomaly('cpu_pct', 2, 92, 20, [15, 25], 0.5);
    const merged = mergeAnomalies(first, [smaller, cpu]);
    expect(merged.headline).toMatchObject({ seriesKey: 'cpu_pct', observed: 92, expected: 20 });
    expect(merged.headline.deviation).toBeCloseTo(72 / 5, 6);
  });

  it('keeps a flat band finite', () => {
    expect(Number.isFinite(deviationOf(5, { expected: 0, band: [0, 0] }))).toBe(true);
    expect(deviationOf(5, { expected: 0, band: [0, 0] })).toBeGreaterThan(1e6);
  });
});
