/**
 * attributeIncident with a real embedded store: which other services' data it
 * consults for a shared cause (those with anomalies at onset) and how that
 * changes the answer.
 */
import type { Anomaly, Incident } from '../../../src/domain/index.js';
import { attributeIncident, compileLinks } from '../../../src/correlate/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { MIN, T0, deploy, series, step } from './helpers.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

let n = 0;
/**
 * checkout's latency steps 100 -> 200 at minute 122, 5 minutes after its
 * deploy; a second service `other` exists. Each scene has its own stretch of
 * time (minutes are offset by o), as the store is shared.
 */
async function scene(other: { degradesAt: number | null; anomalyAt: number | null; deployedAt?: number }) {
  n++;
  const o = n * 1000;
  const [svc, dep] = [`checkout-${n}`, `db-${n}`];
  const put = async (service: string, metric: string, level: (m: number) => number) => {
    const key = `sim:${metric}{service="${service}"}`;
    await store.upsertSeries({ key, source: 'sim', metric, service, labels: {} });
    await store.insertPoints(
      key,
      series(o, o + 240, (m) => level(m - o), 0.05, n),
    );
    return key;
  };
  const key = await put(svc, 'latency_p95_ms', step(122, 100, 200));
  const depKey = await put(
    dep,
    'latency_p95_ms',
    other.degradesAt === null ? () => 12 : step(other.degradesAt, 12, 25),
  );
  await put(dep, 'request_rate', () => 1500);
  await store.upsertDeployment(deploy(`d${n}`, svc, o + 117));
  if (other.deployedAt !== undefined) await store.upsertDeployment(deploy(`x${n}`, dep, o + other.deployedAt));
  const anomaly = (
    seriesKey: string,
    service: string,
    minute: number,
    observed: number,
    expected: number,
  ): Anomaly => ({
    seriesKey,
    service,
    metric: 'latency_p95_ms',
    t: T0 + (o + minute) * MIN,
    observed,
    expected,
    band: [expected * 0.9, expected * 1.1],
    score: 0.9,
    kind: 'level_shift',
  });
  await store.insertAnomalies([
    anomaly(key, svc, 122, 200, 100),
    ...(other.anomalyAt === null ? [] : [anomaly(depKey, dep, other.anomalyAt, 25, 12)]),
  ]);
  const incident: Incident = {
    id: `inc-${svc}`,
    service: svc,
    status: 'open',
    severity: 'high',
    openedAt: T0 + (o + 122) * MIN,
    detectedAt: T0 + (o + 124) * MIN,
    lastAnomalyAt: T0 + (o + 124) * MIN,
    resolvedAt: null,
    seriesKeys: [key],
    services: [svc],
    anomalyCount: 3,
    headline: {
      seriesKey: key,
      metric: 'latency_p95_ms',
      t: T0 + (o + 122) * MIN,
      observed: 200,
      expected: 100,
      band: [90, 110],
      kind: 'level_shift',
      score: 0.9,
    },
    suspect: null,
  };
  return { incident, deployId: `d${n}` };
}

const attribute = (incident: Incident) =>
  attributeIncident(incident, incident.openedAt + 13 * MIN, { store, links: compileLinks({}), lookback: 120 * MIN });

describe('attributeIncident: a shared cause on another service', () => {
  it('blames the deploy when no other service was anomalous at onset', async () => {
    const s = await scene({ degradesAt: null, anomalyAt: null });
    expect((await attribute(s.incident))?.suspect?.deploymentId).toBe(s.deployId);
  });

  it('clears the deploy when another service with no deploy degraded, and was flagged, at the same onset', async () => {
    const s = await scene({ degradesAt: 122, anomalyAt: 123 });
    const r = await attribute(s.incident);
    expect(r?.suspect).toBeNull();
    expect(r?.attribution).toMatch(
      /competing explanation: db-\d+ latency_p95_ms rose 2\.\dx at onset .* with no deploy of its own/,
    );
  });

  it('ignores another service whose anomaly came long after onset: it was never loaded', async () => {
    const s = await scene({ degradesAt: 122, anomalyAt: 150 });
    expect((await attribute(s.incident))?.suspect?.deploymentId).toBe(s.deployId);
  });

  it('ignores another service that had a deploy of its own near onset', async () => {
    const s = await scene({ degradesAt: 122, anomalyAt: 123, deployedAt: 119 });
    expect((await attribute(s.incident))?.suspect?.deploymentId).toBe(s.deployId);
  });
});

describe('attributeIncident: an incident several services joined (co-onset grouping)', () => {
  const dbKey = (svc: string) => `sim:latency_p95_ms{service="${svc.replace('checkout', 'db')}"}`;

  it('a member with no deploy of its own that started at the same moment still competes with the deploy', async () => {
    const s = await scene({ degradesAt: 122, anomalyAt: 123 });
    const db = s.incident.service.replace('checkout', 'db');
    const joined: Incident = {
      ...s.incident,
      services: [s.incident.service, db],
      seriesKeys: [...s.incident.seriesKeys, dbKey(s.incident.service)],
      onsets: { [s.incident.service]: s.incident.openedAt, [db]: s.incident.openedAt + MIN },
    };
    const r = await attribute(joined);
    expect(r?.suspect).toBeNull();
    expect(r?.attribution).toMatch(/competing explanation: db-\d+ latency_p95_ms rose/);
  });

  it('the deploy of a member that only deviated later (it felt the change) is no suspect: the change started elsewhere', async () => {
    const s = await scene({ degradesAt: 110, anomalyAt: 110 });
    const db = s.incident.service.replace('checkout', 'db');
    const dbOnset = s.incident.openedAt - 12 * MIN;
    const joined: Incident = {
      ...s.incident,
      service: db,
      openedAt: dbOnset,
      services: [s.incident.service, db],
      seriesKeys: [dbKey(s.incident.service), ...s.incident.seriesKeys],
      onsets: { [db]: dbOnset, [s.incident.service]: s.incident.openedAt },
    };
    const r = await attribute(joined);
    expect(r?.suspect).toBeNull();
    expect(r?.attribution).toBe(
      `no deploy suspected: no deploy of ${db} or what they depend on started before onset or confirmation`,
    );
    // The same incident without per-service onsets (stored before they existed) still weighs every member's deploys.
    expect((await attribute({ ...joined, onsets: undefined }))?.suspects?.map((x) => x.deploymentId)).toEqual([
      s.deployId,
    ]);
  });
});
