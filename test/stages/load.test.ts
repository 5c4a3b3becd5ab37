import { LOAD, type Deployment, type Point, type Series } from '../../src/domain/index.js';
import { loadsOf, outsideRollouts, pullLoads, ROLLOUT_MAX } from '../../src/stages/load.js';
import { openStore } from '../../src/store/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4, 12);
const series = (service: string, metric: string, points: Point[]): Series => ({
  ref: { key: `t:${metric}{service="${service}"}`, source: 't', metric, service, labels: { service } },
  points,
});
const minutes = (n: number, v = (i: number) => 1000 + i): Point[] =>
  Array.from({ length: n }, (_, i) => ({ t: T0 + i * MIN, v: v(i) }));
const deploy = (id: string, service: string, startedAt: number, finishedAt: number | null): Deployment => ({
  id,
  service,
  environment: 'production',
  startedAt,
  finishedAt,
  version: null,
  actor: null,
  status: finishedAt === null ? 'started' : 'succeeded',
  source: 'api',
  url: null,
  strategy: 'rolling',
});

describe('loadsOf (stages/load)', () => {
  it("takes each service's first load series from the pull, by timestamp, finite values only", () => {
    const loads = loadsOf(
      [
        series('a', 'cpu_pct', [{ t: 1, v: 50 }]),
        series('a', 'requests', [
          { t: 1, v: 100 },
          { t: 2, v: Number.NaN },
          { t: 3, v: 300 },
        ]),
        series('a', 'http_requests_total', [{ t: 1, v: 999 }]),
        series('b', 'request_errors', [{ t: 1, v: 5 }]),
        series('c', 'RequestCount', [{ t: 7, v: 70 }]),
      ],
      LOAD,
    );
    expect([...loads.keys()]).toEqual(['a', 'c']);
    expect([...loads.get('a')!]).toEqual([
      [1, 100],
      [3, 300],
    ]);
    expect(loads.get('c')!.get(7)).toBe(70);
  });
});

describe('outsideRollouts (stages/load)', () => {
  it('drops the minutes a deploy was replacing instances, its start and finish included', () => {
    const load = new Map(minutes(60).map((p) => [p.t, p.v]));
    outsideRollouts(load, [deploy('d1', 'a', T0 + 10 * MIN, T0 + 20 * MIN)]);
    expect(load.size).toBe(49);
    expect(load.has(T0 + 9 * MIN)).toBe(true);
    expect(load.has(T0 + 10 * MIN)).toBe(false);
    expect(load.has(T0 + 20 * MIN)).toBe(false);
    expect(load.has(T0 + 21 * MIN)).toBe(true);
  });

  it('counts a deploy with no finish time as rolling out for at most ROLLOUT_MAX', () => {
    const load = new Map(minutes(120).map((p) => [p.t, p.v]));
    outsideRollouts(load, [deploy('d1', 'a', T0 + 10 * MIN, null)]);
    expect(load.size).toBe(120 - (ROLLOUT_MAX / MIN + 1));
    expect(load.has(T0 + 10 * MIN + ROLLOUT_MAX)).toBe(false);
    expect(load.has(T0 + 11 * MIN + ROLLOUT_MAX)).toBe(true);
  });
});

describe('pullLoads (stages/load)', () => {
  it("drops each service's own rollouts as the store knows them, and only its own", async () => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      // A rollout that started hours before the pull's first point and is still running at it counts too.
      await store.upsertDeployment(deploy('old', 'a', T0 - 3 * 60 * MIN, T0 + 4 * MIN));
      await store.upsertDeployment(deploy('d-a', 'a', T0 + 30 * MIN, T0 + 39 * MIN));
      await store.upsertDeployment(deploy('d-b', 'b', T0, T0 + 59 * MIN));
      const loads = await pullLoads(
        [series('a', 'requests', minutes(60)), series('b', 'cpu_pct', minutes(60)), series('c', 'rps', minutes(60))],
        LOAD,
        store,
      );
      expect([...loads.keys()]).toEqual(['a', 'c']);
      expect(loads.get('a')!.size).toBe(60 - 5 - 10);
      expect(loads.get('c')!.size).toBe(60);
    } finally {
      await store.close();
    }
  });
});
