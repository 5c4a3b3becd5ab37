import { deviationOf, type Anomaly } from '../../src/domain/index.js';
import { filterByFeedback } from '../../src/incidents/feedback.js';
import type { AnomalyFeedback } from '../../src/store/types.js';

const a = (t: number, observed: number, kind: Anomaly['kind'] = 'spike', seriesKey = 's1'): Anomaly => ({
  seriesKey,
  service: 'svc',
  metric: 'cpu',
  t,
  observed,
  expected: 100,
  band: [90, 110],
  score: 0.9,
  kind,
});
const fb = (over: Partial<AnomalyFeedback> = {}): AnomalyFeedback => ({
  id: 'f1',
  seriesKey: 's1',
  kind: 'spike',
  deviation: deviationOf(a(0, 150)),
  incidentId: null,
  createdBy: 'U1',
  createdAt: 0,
  revokedAt: null,
  revokedBy: null,
  ...over,
});

test('deviation is measured in band half-widths', () => {
  expect(deviationOf(a(0, 150))).toBe(5);
  expect(deviationOf({ observed: 3, expected: 1, band: [1, 1] })).toBeGreaterThan(1000);
});

test('drops same-series same-kind anomalies up to the marked size, keeps larger, other kinds and other series', () => {
  const input = [a(1, 140), a(2, 150), a(3, 151), a(4, 140, 'level_shift'), a(5, 140, 'spike', 's2')];
  const { kept, dropped } = filterByFeedback(input, [fb()]);
  expect(dropped.map((x) => x.t)).toEqual([1, 2]);
  expect(kept.map((x) => x.t)).toEqual([3, 4, 5]);
});

test('revoked feedback drops nothing', () => {
  expect(filterByFeedback([a(1, 140)], [fb({ revokedAt: 5, revokedBy: 'U2' })]).dropped).toEqual([]);
});
