import type { Deployment } from '../../src/domain/index.js';
import { judgeDeploys } from '../../src/stages/judge.js';
import type { GroupBatch, PipelineDeps } from '../../src/stages/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { anomaly, deployment, incident, uid } from '../store/fixtures.js';

const MIN = 60_000;
const WINDOW = 30 * MIN;
const T0 = Date.UTC(2026, 4, 4);

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

/** Deps whose one notifier takes verdicts; `queued` lists the deploys whose verdict was queued. */
function depsFor(s: Store) {
  const queued: string[] = [];
  const silent = () => undefined;
  const deps = {
    store: s,
    correlate: { lookback: 60 * MIN, verdictWindow: WINDOW, minuteMs: MIN },
    policy: {},
    links: { dependsOn: () => [] },
    log: { info: silent, warn: silent, error: silent, debug: silent },
    notifiers: [{ name: 'n', send: async () => ({ ok: true, ref: 'r' }), sendVerdict: async () => ({ ok: true }) }],
    queue: {
      enqueue: async (_name: string, payload: { deploymentId: string }) => {
        queued.push(payload.deploymentId);
      },
    },
  } as unknown as PipelineDeps;
  return { deps, queued };
}

const group = (services: string[], lastT: number): GroupBatch => ({
  key: services[0]!,
  anomalies: [],
  lastT,
  services: new Set(services),
  results: [],
  from: lastT - 5 * MIN,
});

/** A deploy of `service` with one series whose points cover a window either side. */
async function deployed(service: string): Promise<Deployment> {
  const d = deployment(service, T0, { finishedAt: T0 + MIN });
  await store.upsertDeployment(d);
  const key = `t:latency{service="${service}"}`;
  await store.upsertSeries({ key, source: 't', metric: 'latency', service, labels: { service } });
  await store.insertPoints(
    key,
    Array.from({ length: 80 }, (_, i) => ({ t: T0 - 35 * MIN + i * MIN, v: 100 + (i % 3) })),
  );
  return d;
}

describe('judgeDeploys (stages/judge)', () => {
  it("judges each ready deploy once, and leaves a judged one's verdict as it is", async () => {
    const [pay, db] = [`pay-${uid()}`, `db-${uid()}`];
    const fresh = await deployed(pay);
    const judged = await deployed(db);
    const kept = {
      deploymentId: judged.id,
      service: db,
      outcome: 'pass' as const,
      decidedAt: 1,
      shifts: [],
      summary: 'kept',
    };
    await store.saveVerdict(kept);
    const { deps, queued } = depsFor(store);
    const now = T0 + MIN + WINDOW + 5 * MIN;
    await judgeDeploys({ group: group([pay, db], now), events: [] }, deps);
    expect((await store.getVerdict(fresh.id))?.deploymentId).toBe(fresh.id);
    expect(await store.getVerdict(judged.id)).toEqual(kept);
    expect(queued).toEqual([fresh.id]);
    // Later pulls: nothing left to judge.
    await judgeDeploys({ group: group([pay, db], now + 5 * MIN), events: [] }, deps);
    expect(queued).toEqual([fresh.id]);
  });

  it('judges nothing before the window has passed', async () => {
    const svc = `svc-${uid()}`;
    const d = await deployed(svc);
    const { deps, queued } = depsFor(store);
    await judgeDeploys({ group: group([svc], T0 + 10 * MIN), events: [] }, deps);
    expect(await store.getVerdict(d.id)).toBeNull();
    expect(queued).toEqual([]);
  });

  it('ranks again, with the verdict, an incident that weighed the deploy before the verdict was decided', async () => {
    const svc = `svc-${uid()}`;
    const d = deployment(svc, T0, { finishedAt: T0 + MIN });
    await store.upsertDeployment(d);
    const key = `t:latency_p95_ms{service="${svc}"}`;
    await store.upsertSeries({ key, source: 't', metric: 'latency_p95_ms', service: svc, labels: { service: svc } });
    // Latency doubles 12 minutes after the rollout; the detector flagged it then.
    const level = (m: number) => (m >= 13 ? 200 : 100) + (m % 3);
    await store.insertPoints(
      key,
      Array.from({ length: 80 }, (_, i) => ({ t: T0 + (i - 35) * MIN, v: level(i - 35) })),
    );
    await store.insertAnomalies([anomaly(key, T0 + 13 * MIN, { service: svc, metric: 'latency_p95_ms' })]);
    // Ranked at onset, before the verdict: the deploy was weighed and not blamed.
    const before = incident(svc, {
      openedAt: T0 + 13 * MIN,
      lastAnomalyAt: T0 + 14 * MIN,
      seriesKeys: [key],
      suspect: null,
      suspects: [{ deploymentId: d.id, confidence: 0.3, reason: 'ranked before its verdict' }],
      attribution: 'no deploy suspected: ranked before its verdict',
    });
    await store.openOrGetIncident(before);
    const { deps } = depsFor(store);
    await judgeDeploys({ group: group([svc], T0 + MIN + WINDOW + 5 * MIN), events: [] }, deps);
    expect((await store.getVerdict(d.id))?.outcome).toBe('fail');
    const after = await store.getIncident(before.id);
    expect(after!.attribution).not.toBe(before.attribution);
    expect(after!.suspects?.[0]?.reason).toMatch(/latency_p95_ms/);
  });
});
