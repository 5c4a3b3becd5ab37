/** summarise: which incident covers which injected event (the scenario benchmark's matching). */
import type { DemoEvidence } from '../../src/bench/demo-checks.js';
import { summarise } from '../../src/bench/demo-summary.js';
import type { Incident } from '../../src/domain/index.js';
import type { Scenario } from '../../src/sources/simulator/index.js';

const MIN = 60_000;
const scenario: Scenario = {
  seed: 1,
  start: 0,
  stepMs: MIN,
  durationMs: 600 * MIN,
  warmupEnd: 0,
  services: [{ name: 'api', metrics: [] }],
  deployments: [],
  incidents: [
    {
      id: 'e1',
      service: 'api',
      metrics: ['latency_p95_ms'],
      kind: 'latency_step',
      start: 100 * MIN,
      end: 150 * MIN,
      causedBy: 'd1',
      magnitude: 2,
    },
    {
      id: 'e2',
      service: 'api',
      metrics: ['error_rate'],
      kind: 'error_spike',
      start: 150 * MIN,
      end: 200 * MIN,
      causedBy: 'd2',
      magnitude: 5,
    },
  ],
};
/** These tests are about matching; demo-checks.test.ts is about the checks this evidence feeds. */
const noEvidence: DemoEvidence = { truthAt: () => null, playbookOf: () => null };
const incident = (id: string, openedAt: number, resolvedAt: number | null): Incident => ({
  id,
  service: 'api',
  status: resolvedAt === null ? 'open' : 'resolved',
  severity: 'high',
  openedAt: openedAt * MIN,
  detectedAt: (openedAt + 2) * MIN,
  lastAnomalyAt: openedAt * MIN,
  resolvedAt: resolvedAt === null ? null : resolvedAt * MIN,
  seriesKeys: ['sim:latency_p95_ms{service="api"}'],
  anomalyCount: 1,
  headline: {
    seriesKey: 'k',
    metric: 'latency_p95_ms',
    t: openedAt * MIN,
    observed: 2,
    expected: 1,
    band: [0, 1],
    kind: 'level_shift',
    score: 0.9,
  },
  suspect: null,
});

test('an incident resolved at the first sample of the next event does not cover it; the incident opened for it does', () => {
  const s = summarise(
    scenario,
    [incident('i1', 100, 150), incident('i2', 155, null)],
    { anomalies: 0, points: 0, seconds: 0 },
    600 * MIN,
    noEvidence,
  );
  expect(s.injected.map((e) => [e.id, e.detectedBy, e.delaySteps])).toEqual([
    ['e1', 'i1', 2],
    ['e2', 'i2', 7],
  ]);
  expect(s.incidents.map((i) => [i.id, i.matches])).toEqual([
    ['i1', 'e1'],
    ['i2', 'e2'],
  ]);
});

test('an incident still open when the run ends covers every later event of its service', () => {
  const s = summarise(
    scenario,
    [incident('i1', 100, null)],
    { anomalies: 0, points: 0, seconds: 0 },
    600 * MIN,
    noEvidence,
  );
  expect(s.injected.map((e) => e.detectedBy)).toEqual(['i1', 'i1']);
});

test('one resolved a sample into the next event covers it', () => {
  const s = summarise(
    scenario,
    [incident('i1', 100, 151)],
    { anomalies: 0, points: 0, seconds: 0 },
    600 * MIN,
    noEvidence,
  );
  expect(s.injected.map((e) => e.detectedBy)).toEqual(['i1', 'i1']);
});

test("an incident covers the events of every service it lists (a co-onset or linked group), not only its key's", () => {
  const onDb: Scenario = { ...scenario, incidents: [{ ...scenario.incidents[0]!, id: 'e3', service: 'database' }] };
  const joined = { ...incident('i1', 100, 150), services: ['api', 'database'] };
  const s = summarise(onDb, [joined], { anomalies: 0, points: 0, seconds: 0 }, 600 * MIN, noEvidence);
  expect(s.injected.map((e) => [e.id, e.detectedBy])).toEqual([['e3', 'i1']]);
  expect(s.incidents.map((i) => [i.id, i.matches])).toEqual([['i1', 'e3']]);
  expect(
    summarise(onDb, [incident('i1', 100, 150)], { anomalies: 0, points: 0, seconds: 0 }, 600 * MIN, noEvidence)
      .injected[0]!.detectedBy,
  ).toBeNull();
});
