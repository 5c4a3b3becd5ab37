import { scoreScenarios } from '../../src/bench/scenarios.js';
import type { DemoSummary } from '../../src/bench/demo-summary.js';
import { demoChecks } from '../../src/bench/demo-checks.js';

type Inc = DemoSummary['incidents'][number];
const inc = (id: string, matches: string | null): Inc => ({
  id,
  service: 's',
  severity: 'low',
  status: 'resolved',
  openedAt: '',
  resolvedAt: null,
  metrics: [],
  anomalies: 1,
  headline: '',
  score: 0.5,
  matches,
  suspect: null,
  attribution: null,
});
const event = (id: string, detectedBy: string | null): DemoSummary['injected'][number] => ({
  id,
  service: 's',
  kind: 'latency_step',
  start: 0,
  end: 1,
  causedBy: null,
  detectedBy,
  delaySteps: detectedBy ? 1 : null,
  suspected: null,
});

test('an event covered by two incidents counts as detected once, both incidents as matched, the second as a duplicate page', () => {
  const run: DemoSummary = {
    injected: [event('e1', 'i1'), event('e2', null)],
    incidents: [inc('i1', 'e1'), inc('i2', 'e1'), inc('i3', null)],
    checks: demoChecks([], []),
    anomalies: 0,
    points: 0,
    seconds: 0,
  };
  const r = scoreScenarios([run]);
  expect(r).toMatchObject({ injected: 2, detected: 1, incidents: 3, matched: 2, duplicates: 1, inherited: 0 });
});

test('an event covered only by the incident opened for an earlier event is detected, and counted as inherited', () => {
  const run: DemoSummary = {
    injected: [event('e1', 'i1'), event('e2', 'i1')],
    incidents: [inc('i1', 'e1')],
    checks: demoChecks([], []),
    anomalies: 0,
    points: 0,
    seconds: 0,
  };
  expect(scoreScenarios([run])).toMatchObject({ detected: 2, duplicates: 0, inherited: 1 });
});
