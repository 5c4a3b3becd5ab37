/** Suspect ranking on hand-built cases: each names the facts a person could check. */
import {
  judgeDeploy,
  rankSuspects,
  type AttributionInput,
  type IncidentSeries,
  type NeighbourSeries,
} from '../../../src/correlate/index.js';
import { deploy, MIN, series, step, T0 } from './helpers.js';

const none = () => [] as string[];

function latency(
  service: string,
  shiftAt: number | null,
  opts: { inIncident?: boolean; seed?: number } = {},
): IncidentSeries {
  const level = shiftAt === null ? () => 100 : step(shiftAt, 100, 240);
  return {
    seriesKey: `${service}:latency_p95_ms`,
    service,
    metric: 'latency_p95_ms',
    points: series(0, 240, level, 0.05, opts.seed ?? 1),
    inIncident: opts.inIncident ?? true,
  };
}

function input(over: Partial<AttributionInput>): AttributionInput {
  return {
    services: ['checkout'],
    onset: T0 + 122 * MIN,
    deployments: [],
    dependsOn: none,
    series: [latency('checkout', 122)],
    stepMs: MIN,
    ...over,
  };
}

describe('rankSuspects', () => {
  test('the deploy whose rollout the regression began in is the suspect, with a reason naming timing and shift', () => {
    const r = rankSuspects(input({ deployments: [deploy('d1', 'checkout', 120)] }));
    expect(r.suspect?.deploymentId).toBe('d1');
    expect(r.suspect!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(r.suspect!.reason).toMatch(/started 2 min before onset, which came during its rollout/);
    expect(r.suspect!.reason).toMatch(/latency_p95_ms shifted at the deploy \(2\.\dx, U-test p=<0\.001/);
    expect(r.summary).toMatch(/^suspect d1 \(confidence 0\.\d\d\)/);
  });

  test('no deploy at all: "no deploy suspected" saying why', () => {
    const r = rankSuspects(input({ deployments: [] }));
    expect(r.suspect).toBeNull();
    expect(r.suspects).toEqual([]);
    expect(r.summary).toBe(
      'no deploy suspected: no deploy of checkout or what they depend on started before onset or confirmation',
    );
  });

  test('a deploy on another, unlinked service is never a suspect', () => {
    const r = rankSuspects(input({ deployments: [deploy('other', 'search', 120)] }));
    expect(r.suspect).toBeNull();
    expect(r.suspects).toEqual([]);
  });

  test('a deploy of a service the incident depends on is a suspect, flagged as a dependency', () => {
    const r = rankSuspects(
      input({
        deployments: [deploy('pay', 'payments', 120)],
        dependsOn: (s) => (s === 'checkout' ? ['payments'] : []),
      }),
    );
    expect(r.suspect?.deploymentId).toBe('pay');
    expect(r.suspect!.reason).toMatch(/payments v-pay by alice \(a dependency of checkout\)/);
  });

  test('a deploy long before onset, its metrics steady until onset, is not suspected: the quiet hour is the reason', () => {
    const r = rankSuspects(input({ deployments: [deploy('old', 'checkout', 60)] }));
    expect(r.suspect).toBeNull();
    expect(r.suspects[0]?.deploymentId).toBe('old');
    expect(r.suspects[0]!.confidence).toBeLessThan(0.1);
    expect(r.summary).toMatch(/no deploy suspected: best candidate old .*its rollout had finished 56 min earlier/);
    // Steady until onset is what a late onset means; the timing weighs it once, not a second time as a U-test.
    expect(r.summary).not.toMatch(/stayed steady/);
  });

  test('a drift of a few percent after an early deploy is no move, however significant: the deploy during onset is named', () => {
    // Latency 100 -> 103 at the early deploy (significant over 30 quiet minutes), then the real step at 122.
    const drift = {
      ...latency('checkout', null),
      points: series(0, 240, (m) => (m < 60 ? 100 : m < 122 ? 103 : 240), 0.005),
    };
    const r = rankSuspects(
      input({ deployments: [deploy('early', 'checkout', 60), deploy('late', 'checkout', 120)], series: [drift] }),
    );
    expect(r.suspect?.deploymentId).toBe('late');
    expect(r.suspects.find((s) => s.deploymentId === 'early')!.reason).not.toMatch(/shifted at the deploy/);
  });

  test('demand that fell after an early deploy is load from outside, not caused by the deploy: a later error burst blames nothing', () => {
    const requests: IncidentSeries = {
      seriesKey: 'checkout:requests',
      service: 'checkout',
      metric: 'requests',
      inIncident: true,
      points: series(0, 240, (m) => (m < 20 ? 1000 : 880), 0.01, 4),
    };
    const errors: IncidentSeries = {
      seriesKey: 'checkout:error_rate',
      service: 'checkout',
      metric: 'error_rate',
      inIncident: true,
      points: series(0, 240, step(122, 0.01, 0.08), 0.05, 6),
    };
    const r = rankSuspects(input({ deployments: [deploy('early', 'checkout', 20)], series: [requests, errors] }));
    expect(r.suspect).toBeNull();
    expect(r.summary).not.toMatch(/requests shifted/);
  });

  test('a slow drift that began at an early deploy, long before detection, still names it', () => {
    const drift = {
      seriesKey: 'checkout:memory_mb',
      service: 'checkout',
      metric: 'memory_mb',
      inIncident: true,
      points: series(0, 240, (m) => (m < 60 ? 500 : 500 + 4 * (m - 60)), 0.02),
    };
    const r = rankSuspects(input({ deployments: [deploy('leak', 'checkout', 60)], series: [drift] }));
    expect(r.suspect?.deploymentId).toBe('leak');
    expect(r.suspect!.reason).toMatch(/memory_mb shifted at the deploy, before the incident was detected/);
  });

  test('two deploys close together share the blame and each names the other as competing', () => {
    const r = rankSuspects(input({ deployments: [deploy('a', 'checkout', 119), deploy('b', 'checkout', 120)] }));
    const [first, second] = r.suspects;
    expect(r.suspects).toHaveLength(2);
    expect(first!.confidence).toBeLessThan(0.6);
    expect(second!.confidence).toBeLessThan(0.6);
    expect(first!.reason).toMatch(/competing: checkout v-(a|b)/);
  });

  /** checkout's request rate, stepping from 50 to 130 at minute `at`. */
  const traffic = (at: number): IncidentSeries => ({
    seriesKey: 'checkout:request_rate',
    service: 'checkout',
    metric: 'request_rate',
    inIncident: false,
    points: series(0, 240, step(at, 50, 130)),
  });

  test('demand rising at onset is a competing explanation that clears a nearby deploy', () => {
    const r = rankSuspects(
      input({ deployments: [deploy('d1', 'checkout', 117)], series: [latency('checkout', 122), traffic(122)] }),
    );
    expect(r.suspect).toBeNull();
    expect(r.summary).toMatch(/competing explanation: request_rate rose 2\.\dx at onset/);
  });

  test('demand that rose a few samples before the first anomaly (its symptom crossed the threshold later) still clears the deploy', () => {
    const r = rankSuspects(
      input({ deployments: [deploy('d1', 'checkout', 110)], series: [latency('checkout', 122), traffic(117)] }),
    );
    expect(r.suspect).toBeNull();
    expect(r.summary).toMatch(/competing explanation: request_rate rose 2\.\dx [1-5] min before onset/);
    // Well before onset it is the load the service had when the change came, no competing explanation.
    const d = rankSuspects(
      input({ deployments: [deploy('d1', 'checkout', 110)], series: [latency('checkout', 122), traffic(100)] }),
    );
    expect(d.summary).not.toMatch(/competing explanation/);
  });

  test('a deploy that started after onset (beyond a small grace) is not a candidate', () => {
    const r = rankSuspects(input({ deployments: [deploy('late', 'checkout', 130)] }));
    expect(r.suspects).toEqual([]);
  });
});

describe('rankSuspects: a deploy between the first anomaly and confirmation', () => {
  test('is a candidate when the incident was confirmed after it started (the first anomaly was noise)', () => {
    const r = rankSuspects(
      input({ onset: T0 + 115 * MIN, detectedAt: T0 + 124 * MIN, deployments: [deploy('d1', 'checkout', 120)] }),
    );
    expect(r.suspect?.deploymentId).toBe('d1');
    expect(r.suspect!.reason).toMatch(/started 5 min after the first anomaly, before the incident was confirmed/);
  });
});

describe('rankSuspects: another service degrading at the same onset (a shared cause)', () => {
  const db = (shiftAt: number | null, over: Partial<NeighbourSeries> = {}): NeighbourSeries => ({
    service: 'database',
    metric: 'latency_p95_ms',
    deployed: false,
    points: series(0, 240, shiftAt === null ? () => 12 : step(shiftAt, 12, 24), 0.05, 3),
    ...over,
  });
  const dbLoad = (rises: boolean): NeighbourSeries => ({
    service: 'database',
    metric: 'request_rate',
    deployed: false,
    points: series(0, 240, rises ? step(122, 1500, 3000) : () => 1500, 0.03, 4),
  });
  const bad = deploy('d1', 'checkout', 117);

  test('baseline: without the neighbour the nearby deploy is blamed', () => {
    expect(rankSuspects(input({ deployments: [bad] })).suspect?.deploymentId).toBe('d1');
  });

  test('a service without a deploy that got worse at onset clears the deploy, and the summary says why', () => {
    const r = rankSuspects(input({ deployments: [bad], neighbours: [db(122), dbLoad(false)] }));
    expect(r.suspect).toBeNull();
    expect(r.summary).toMatch(
      /competing explanation: database latency_p95_ms rose \d\.\dx at onset \(U-test p=[<0-9.]+\) with no deploy of its own; a shared cause/,
    );
  });

  test('the neighbour must have moved at onset: one that is steady, or got worse an hour earlier, does not count', () => {
    expect(rankSuspects(input({ deployments: [bad], neighbours: [db(null)] })).suspect?.deploymentId).toBe('d1');
    expect(rankSuspects(input({ deployments: [bad], neighbours: [db(60)] })).suspect?.deploymentId).toBe('d1');
  });

  test('a neighbour with a deploy of its own near onset has its own explanation and does not count', () => {
    expect(
      rankSuspects(input({ deployments: [bad], neighbours: [db(122, { deployed: true })] })).suspect?.deploymentId,
    ).toBe('d1');
  });

  test('a neighbour that calls the deployed service may be its victim and does not count', () => {
    const r = rankSuspects(
      input({
        deployments: [bad],
        neighbours: [db(122, { service: 'frontend' })],
        dependsOn: (s) => (s === 'frontend' ? ['checkout'] : []),
      }),
    );
    expect(r.suspect?.deploymentId).toBe('d1');
  });

  test('a neighbour whose own demand rose at onset is load the change pushed onto it, not a cause', () => {
    expect(rankSuspects(input({ deployments: [bad], neighbours: [db(122), dbLoad(true)] })).suspect?.deploymentId).toBe(
      'd1',
    );
  });

  test("a neighbour's falling latency is no degradation", () => {
    const faster = db(null, { points: series(0, 240, step(122, 24, 12), 0.05, 3) });
    expect(rankSuspects(input({ deployments: [bad], neighbours: [faster] })).suspect?.deploymentId).toBe('d1');
  });
});

describe('rankSuspects: a shared cause passes on latency and errors, not local saturation', () => {
  const db: NeighbourSeries = {
    service: 'database',
    metric: 'latency_p95_ms',
    deployed: false,
    points: series(0, 240, step(122, 12, 24), 0.05, 3),
  };
  const cpu = (rises: boolean): IncidentSeries => ({
    seriesKey: 'checkout:cpu_pct',
    service: 'checkout',
    metric: 'cpu_pct',
    inIncident: true,
    points: series(0, 240, rises ? step(122, 35, 95) : () => 35, 0.03, 5),
  });

  test('an incident whose own cpu saturated at onset keeps its deploy as suspect despite the degraded database', () => {
    const r = rankSuspects(
      input({
        deployments: [deploy('d1', 'checkout', 117)],
        series: [latency('checkout', 122), cpu(true)],
        neighbours: [db],
      }),
    );
    expect(r.suspect?.deploymentId).toBe('d1');
  });

  test('a steady cpu series in the incident does not stop the shared cause from competing', () => {
    const r = rankSuspects(
      input({
        deployments: [deploy('d1', 'checkout', 117)],
        series: [latency('checkout', 122), cpu(false)],
        neighbours: [db],
      }),
    );
    expect(r.suspect).toBeNull();
  });

  test("saturation of a member no candidate deploy could change (a backend that joined the incident) is its own symptom, not the deployed service's", () => {
    const dbCpu: IncidentSeries = {
      seriesKey: 'database:cpu_pct',
      service: 'database',
      metric: 'cpu_pct',
      inIncident: true,
      points: series(0, 240, step(122, 35, 95), 0.03, 5),
    };
    const r = rankSuspects(
      input({
        services: ['checkout', 'database'],
        deployments: [deploy('d1', 'checkout', 117)],
        series: [latency('checkout', 122), dbCpu],
        neighbours: [db],
      }),
    );
    expect(r.suspect).toBeNull();
    expect(r.summary).toContain('competing explanation: database');
  });
});

describe("rankSuspects: a caller's errors, bounded by the deployed service's failures", () => {
  // checkout (deployed) fails 1.6% of 1,000 requests a minute after onset instead of 0.4%: 12 more failures a minute.
  const own: IncidentSeries[] = [
    {
      seriesKey: 'checkout:error_rate',
      service: 'checkout',
      metric: 'error_rate',
      inIncident: true,
      points: series(0, 240, step(122, 0.004, 0.016), 0.05, 7),
    },
    {
      seriesKey: 'checkout:requests',
      service: 'checkout',
      metric: 'requests',
      inIncident: false,
      points: series(0, 240, () => 1000, 0.03, 8),
    },
  ];
  const caller = (requests: number, over: { latencyRises?: boolean; withLoad?: boolean } = {}): NeighbourSeries[] => [
    {
      service: 'frontend',
      metric: 'error_rate',
      deployed: false,
      points: series(0, 240, step(122, 0.003, 0.009), 0.05, 9),
    },
    ...(over.withLoad === false
      ? []
      : [
          {
            service: 'frontend',
            metric: 'requests',
            deployed: false,
            points: series(0, 240, () => requests, 0.03, 10),
          },
        ]),
    ...(over.latencyRises
      ? [
          {
            service: 'frontend',
            metric: 'latency_p95_ms',
            deployed: false,
            points: series(0, 240, step(122, 150, 400), 0.05, 11),
          },
        ]
      : []),
  ];
  const rank = (neighbours: NeighbourSeries[]) =>
    rankSuspects(input({ deployments: [deploy('d1', 'checkout', 117)], series: own, neighbours }));

  test('a service whose errors rose by fewer failed requests than the deployed service gained may be its caller: the deploy stays the suspect', () => {
    // frontend: 0.6% more of 800 requests, about 5 more failures a minute, within checkout's 12.
    const r = rank(caller(800));
    expect(r.suspect?.deploymentId).toBe('d1');
    expect(r.summary).not.toMatch(/competing explanation/);
  });

  test('one that gained more failures than the deployed service failed some on its own: a shared cause competes', () => {
    // frontend: 0.6% more of 10,000 requests, about 60 more failures a minute.
    const r = rank(caller(10_000));
    expect(r.suspect).toBeNull();
    expect(r.summary).toMatch(/competing explanation: frontend error_rate rose/);
  });

  test('one that also got slower may be a slow dependency whose callers time out: it competes', () => {
    expect(rank(caller(800, { latencyRises: true })).suspect).toBeNull();
  });

  test('without its load its failures cannot be counted, and it competes as before', () => {
    expect(rank(caller(800, { withLoad: false })).suspect).toBeNull();
  });
});

describe('the deploy verdict as evidence (one test for the verdict post and the suspect)', () => {
  // Deploy at 100 (rollout to 104), onset at 112: timing alone makes it a suspect; nothing moved between the two.
  const d = deploy('d1', 'checkout', 100);
  const case_ = (level: (m: number) => number, anomalousAfter = true) => {
    const s: IncidentSeries = {
      seriesKey: 'checkout:latency_p95_ms',
      service: 'checkout',
      metric: 'latency_p95_ms',
      points: series(0, 240, level, 0.05, 3),
      inIncident: true,
    };
    const verdict = judgeDeploy({
      deployment: d,
      series: [{ seriesKey: s.seriesKey, metric: s.metric, points: s.points, anomalousAfter }],
      window: 30 * MIN,
      decidedAt: d.finishedAt! + 30 * MIN,
    });
    const base = input({ onset: T0 + 112 * MIN, deployments: [d], series: [s] });
    return { base, verdict };
  };

  test('a burst after the rollout that its verdict found no worse is not blamed on it; without the verdict, timing alone did', () => {
    const { base, verdict } = case_((m) => (m >= 112 && m < 116 ? 240 : 100));
    expect(verdict.shifts[0]!.worse).toBe(false);
    expect(rankSuspects(base).suspect?.deploymentId).toBe('d1');
    const r = rankSuspects({ ...base, verdicts: new Map([['d1', verdict]]) });
    expect(r.suspect).toBeNull();
    expect(r.summary).toMatch(/its verdict found latency_p95_ms no worse after its rollout than before the deploy/);
  });

  test('a step that its verdict found worse stays blamed, more surely, and says so', () => {
    const { base, verdict } = case_(step(112, 100, 240));
    expect(verdict.outcome).toBe('fail');
    const without = rankSuspects(base).suspect!;
    const r = rankSuspects({ ...base, verdicts: new Map([['d1', verdict]]) });
    expect(r.suspect?.deploymentId).toBe('d1');
    expect(r.suspect!.confidence).toBeGreaterThan(without.confidence);
    expect(r.suspect!.reason).toMatch(/its verdict: latency_p95_ms rose 2\.\dx after its rollout \(U-test p=<0\.001\)/);
  });

  test('a worse move its verdict did not fail (marginal: the detector flagged nothing, maybe the time of day) is no evidence either way', () => {
    const { base, verdict } = case_(step(112, 100, 240), false);
    expect(verdict.outcome).toBe('marginal');
    expect(rankSuspects({ ...base, verdicts: new Map([['d1', verdict]]) }).suspects).toEqual(
      rankSuspects(base).suspects,
    );
  });
});
