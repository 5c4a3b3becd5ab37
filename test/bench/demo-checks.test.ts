/** The demo summary's checks of its posts (demo-checks.ts) on hand-built incidents and evidence. */
import { checkLines, type DemoEvidence, type RecommendedPlaybook, type SeriesTruth } from '../../src/bench/index.js';
import { summarise } from '../../src/bench/demo-summary.js';
import type { Incident } from '../../src/domain/index.js';
import type { Scenario, SimIncident } from '../../src/sources/simulator/index.js';

const MIN = 60_000;
const event = (id: string, service: string, start: number, causedBy: string | null): SimIncident => ({
  id,
  service,
  metrics: [],
  kind: causedBy ? 'latency_step' : 'unrelated_spike',
  start: start * MIN,
  end: (start + 50) * MIN,
  causedBy,
  magnitude: 2,
});
const scenario: Scenario = {
  seed: 1,
  start: 0,
  stepMs: MIN,
  durationMs: 600 * MIN,
  warmupEnd: 0,
  services: [
    { name: 'api', metrics: [] },
    { name: 'web', metrics: [] },
  ],
  deployments: [],
  incidents: [
    event('e1', 'api', 100, 'd1'),
    event('e2', 'api', 200, 'd2'),
    event('e3', 'web', 300, null),
    event('e4', 'web', 400, null),
    event('e5', 'web', 420, 'd5'),
  ],
};

/** An incident on `service` over [from, from + 40) minutes whose headline reads `observed` vs `expected` in `band`. */
function incident(
  id: string,
  service: string,
  from: number,
  headline: { metric: string; observed: number; expected: number; band: [number, number] },
): Incident {
  return {
    id,
    service,
    status: 'resolved',
    severity: 'high',
    openedAt: from * MIN,
    lastAnomalyAt: from * MIN,
    resolvedAt: (from + 40) * MIN,
    seriesKeys: [],
    anomalyCount: 1,
    headline: {
      seriesKey: `simulator:${headline.metric}{service="${service}"}`,
      metric: headline.metric,
      t: (from + 10) * MIN,
      observed: headline.observed,
      expected: headline.expected,
      band: headline.band,
      kind: 'level_shift',
      score: 0.9,
    },
    suspect: null,
  };
}

function evidence(
  truth: Record<string, SeriesTruth>,
  playbooks: Record<string, RecommendedPlaybook>,
): DemoEvidence & { asked: Array<[string, number]> } {
  const asked: Array<[string, number]> = [];
  return {
    asked,
    truthAt: (key, t) => {
      asked.push([key, t]);
      return truth[key] ?? null;
    },
    playbookOf: (id) => playbooks[id] ?? null,
  };
}

const LAT = 'simulator:latency_p95_ms{service="api"}';
const ERR = 'simulator:error_rate{service="api"}';
const ROLLBACK = { name: 'deploy-rollback-webhook', rollback: true };
const counts = { anomalies: 0, points: 0, seconds: 0 };

describe('headline truth', () => {
  // i1: expected 5 from the counterfactual, band width 20: within. i2: 0.01 off, band width 0.004: 2.5 widths out.
  const i1 = incident('i1', 'api', 100, { metric: 'latency_p95_ms', observed: 200, expected: 100, band: [90, 110] });
  const i2 = incident('i2', 'api', 200, { metric: 'error_rate', observed: 0.05, expected: 0.01, band: [0.008, 0.012] });
  const i3 = incident('i3', 'web', 300, { metric: 'cpu_pct', observed: 80, expected: 40, band: [35, 45] });
  const ev = evidence(
    { [LAT]: { actual: 200, counterfactual: 105 }, [ERR]: { actual: 0.05, counterfactual: 0.02 } },
    { i1: ROLLBACK, i2: ROLLBACK },
  );
  const s = summarise(scenario, [i2, i3, i1], counts, 600 * MIN, ev);

  it("asks the simulator about each headline's series at the headline's time", () => {
    expect(ev.asked).toEqual([
      [LAT, 110 * MIN],
      [ERR, 210 * MIN],
      ['simulator:cpu_pct{service="web"}', 310 * MIN],
    ]);
  });

  it('counts headlines whose expected is within one band width of the counterfactual, and observed equal to the simulated value', () => {
    expect(s.checks.headlines).toMatchObject({ withinBand: 1, observedIsActual: 2, total: 3 });
    expect(s.checks.headlines.checks.map((c) => [c.incident, c.expectedWithinBand, c.observedIsActual])).toEqual([
      ['i1', true, true],
      ['i2', false, true],
      ['i3', false, false],
    ]);
    expect(s.checks.headlines.checks[1]).toMatchObject({
      observed: 0.05,
      expected: 0.01,
      actual: 0.05,
      counterfactual: 0.02,
      t: new Date(210 * MIN).toISOString(),
    });
    expect(s.checks.headlines.checks[1]?.bandWidth).toBeCloseTo(0.004, 12);
  });

  it('lists each failing headline with its numbers, and none that passes', () => {
    const lines = checkLines(s.checks);
    expect(lines).toContain(
      "  headlines within one band width of the baseline: 1 of 3 (expected vs the series' value at the headline's time with no injected effect); observed equals the simulated value in 2 of 3",
    );
    const failed = lines.filter((l) => l.startsWith('    ✘ i'));
    expect(failed).toEqual([
      `    ✘ i2 ${ERR} at 1970-01-01 03:30: observed 0.05 (simulated 0.05), expected 0.01, counterfactual 0.02, band width 0.004: expected is 0.01 from the counterfactual (2.50 band widths)`,
      '    ✘ i3 simulator:cpu_pct{service="web"} at 1970-01-01 05:10: observed 80 (simulated none), expected 40, counterfactual none, band width 10: no simulated sample at that time',
    ]);
  });

  it('holds on the boundary (exactly one band width) and up to float rounding; fails just past it, or when observed differs', () => {
    const at = (expected: number, observed: number, truth: SeriesTruth) =>
      summarise(
        scenario,
        [incident('i1', 'api', 100, { metric: 'latency_p95_ms', observed, expected, band: [90, 110] })],
        counts,
        600 * MIN,
        evidence({ [LAT]: truth }, {}),
      ).checks;
    expect(at(100, 0.1 + 0.2, { actual: 0.3, counterfactual: 120 }).headlines.checks[0]).toMatchObject({
      expectedWithinBand: true,
      observedIsActual: true,
    });
    expect(at(100, 200, { actual: 200.1, counterfactual: 120.01 }).headlines.checks[0]).toMatchObject({
      expectedWithinBand: false,
      observedIsActual: false,
    });
    const failures = (c: ReturnType<typeof at>) => checkLines(c).filter((l) => l.startsWith(`    ✘ i1 ${LAT}`));
    expect(failures(at(100, 300, { actual: 200, counterfactual: 200 }))).toEqual([
      `    ✘ i1 ${LAT} at 1970-01-01 01:50: observed 300 (simulated 200), expected 100, counterfactual 200, band width 20: ` +
        'expected is 100 from the counterfactual (5.00 band widths); nothing injected moves the series at that time; observed is not the simulated value',
    ]);
    // Listed when observed alone fails.
    expect(failures(at(100, 201, { actual: 200, counterfactual: 101 }))).toEqual([
      `    ✘ i1 ${LAT} at 1970-01-01 01:50: observed 201 (simulated 200), expected 100, counterfactual 101, band width 20: ` +
        'expected is 1 from the counterfactual (0.05 band widths); observed is not the simulated value',
    ]);
    expect(failures(at(100, 200, { actual: 200, counterfactual: 101 }))).toEqual([]);
  });
});

describe('rollback playbooks', () => {
  const band: [number, number] = [0, 1];
  const h = { metric: 'cpu_pct', observed: 1, expected: 1, band };
  // i1, i2 cover deploy-caused events on api; i3 covers an unrelated event only; i4 covers e4 (unrelated) and e5 (deploy d5).
  const i1 = incident('i1', 'api', 100, h);
  const i2 = incident('i2', 'api', 200, h);
  const i3 = incident('i3', 'web', 300, h);
  const i4 = { ...incident('i4', 'web', 400, h), resolvedAt: 460 * MIN };
  const i5 = incident('i5', 'web', 500, h);

  it('counts deploy-caused incidents whose recommended playbook is a rollback, and lists the others with what they recommend', () => {
    const s = summarise(
      scenario,
      [i1, i2, i3, i4, i5],
      counts,
      600 * MIN,
      evidence(
        {},
        {
          i1: ROLLBACK,
          i2: { name: 'cpu-saturation-scale-out', rollback: false },
          i3: { name: 'cpu-saturation-scale-out', rollback: false },
        },
      ),
    );
    expect(s.checks.rollbacks).toMatchObject({ recommending: 1, total: 3 });
    expect(s.checks.rollbacks.checks.map((c) => [c.incident, c.causedBy, c.playbook, c.rollback])).toEqual([
      ['i1', ['d1'], 'deploy-rollback-webhook', true],
      ['i2', ['d2'], 'cpu-saturation-scale-out', false],
      ['i4', ['d5'], null, false],
    ]);
    const lines = checkLines(s.checks);
    expect(lines).toContain(
      '  deploy-caused incidents recommending a rollback: 1 of 3 (the playbook recommended for each as it stands at the end of the run)',
    );
    expect(lines.filter((l) => l.startsWith('    ✘ i') && !l.includes('simulator:'))).toEqual([
      '    ✘ i2 api (caused by d2; suspect none): recommends cpu-saturation-scale-out, not a rollback',
      '    ✘ i4 web (caused by d5; suspect none): no playbook recommended',
    ]);
  });

  it('names the suspect deploy of an incident that fails, and passes one whose rollback is recommended', () => {
    const suspected = { ...i2, suspect: { deploymentId: 'd9', confidence: 0.6, reason: 'r' } };
    const s = summarise(scenario, [suspected], counts, 600 * MIN, evidence({}, {}));
    expect(checkLines(s.checks)).toContain('    ✘ i2 api (caused by d2; suspect d9): no playbook recommended');
    const ok = summarise(scenario, [suspected], counts, 600 * MIN, evidence({}, { i2: ROLLBACK }));
    expect(ok.checks.rollbacks).toMatchObject({ recommending: 1, total: 1 });
  });
});
