import type { Anomaly, Point } from '../../src/domain/index.js';
import { advance, type IncidentContext, type IncidentPolicy } from '../../src/incidents/index.js';
import { correlation } from '../../src/incidents/co-onset.js';
import { openStore, type Store } from '../../src/store/index.js';
import { MIN, testPolicy } from '../support/policy.js';

const policy: IncidentPolicy = { ...testPolicy, coOnsetWithin: 10 * MIN };

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * 2 - 1;
  };
}

const key = (service: string) => `sim:latency_p95_ms{service="${service}"}`;

/** 60 minutes from `at` of latency around 100 (noise 5), stepping to 200 at `at + stepAt` when given. */
async function latency(service: string, at: number, stepAt: number | null, seed: number): Promise<void> {
  const r = noise(seed);
  const points: Point[] = [];
  for (let m = 0; m < 60; m++)
    points.push({ t: (at + m) * MIN, v: (stepAt !== null && m >= stepAt ? 200 : 100) + 5 * r() });
  await store.upsertSeriesMany([
    { key: key(service), service, metric: 'latency_p95_ms', source: 'sim', labels: { service } },
  ]);
  await store.insertPointsMany([{ seriesKey: key(service), points }]);
}

/** 90 minutes from `at` of latency around 100 (noise 5), at 200 from minute 40 until minute `until`. */
async function blip(service: string, at: number, until: number, seed: number): Promise<void> {
  const r = noise(seed);
  const points: Point[] = [];
  for (let m = 0; m < 90; m++) points.push({ t: (at + m) * MIN, v: (m >= 40 && m < until ? 200 : 100) + 5 * r() });
  await store.upsertSeriesMany([
    { key: key(service), service, metric: 'latency_p95_ms', source: 'sim', labels: { service } },
  ]);
  await store.insertPointsMany([{ seriesKey: key(service), points }]);
}

function anomaly(service: string, minute: number): Anomaly {
  return {
    seriesKey: key(service),
    service,
    metric: 'latency_p95_ms',
    t: minute * MIN,
    observed: 200,
    expected: 100,
    band: [90, 110],
    score: 0.8,
    kind: 'level_shift',
  };
}

async function feed(service: string, minutes: number[], now: number, ctx: Partial<IncidentContext> = {}) {
  const batch = minutes.map((m) => anomaly(service, m));
  await store.insertAnomalies(batch);
  return advance({ service, anomalies: batch, now: now * MIN }, { store, policy, ...ctx });
}

describe('co-onset grouping', () => {
  it('a service that started with an open incident and moved with it joins it: one incident, both services, the reason in the timeline', async () => {
    await latency('db1', 1000, 40, 1);
    await latency('web1', 1000, 41, 2);
    expect((await feed('db1', [1040, 1041], 1042)).map((e) => e.kind)).toEqual(['opened']);
    const joined = await feed('web1', [1041, 1042], 1043);
    expect(joined.map((e) => [e.kind, e.incident.service, e.incident.services])).toEqual([
      ['updated', 'db1', ['db1', 'web1']],
    ]);
    expect(joined[0]!.incident.onsets).toEqual({ db1: 1040 * MIN, web1: 1041 * MIN });
    expect(await store.listIncidents({ service: 'web1' })).toEqual([]);
    const timeline = await store.timeline(joined[0]!.incident.id);
    expect(timeline.at(-1)).toMatchObject({
      kind: 'joined',
      text: expect.stringMatching(
        /web1 latency_p95_ms started deviating within 1 min .*\(correlation 0\.\d\d over \d+ samples/,
      ),
    });

    // Its later anomalies go on joining the same incident.
    const later = await feed('web1', [1046], 1046);
    expect(later).toEqual([]);
    const incident = await store.getIncident(joined[0]!.incident.id);
    expect(incident?.anomalyCount).toBe(5);
    expect(incident?.counted?.[key('web1')]).toBe(1046 * MIN);
  });

  it('a joined service finds its incident however many other incidents are open (it was looked for among the newest 200 only)', async () => {
    await latency('db8', 8000, 40, 15);
    await latency('web8', 8000, 41, 16);
    await feed('db8', [8040, 8041], 8042);
    const [joined] = await feed('web8', [8041, 8042], 8043);
    expect(joined?.incident.services).toEqual(['db8', 'web8']);
    // 201 newer open incidents of other services, far from this onset (they take no part), closed again afterwards.
    const crowd = Array.from({ length: 201 }, (_, i) => ({
      ...joined!.incident,
      id: `inc-crowd8-${i}`,
      service: `crowd8-${i}`,
      services: [`crowd8-${i}`],
      openedAt: 90_000 * MIN + i,
    }));
    for (const c of crowd) await store.openOrGetIncident(c);
    expect(await feed('web8', [8046], 8046)).toEqual([]);
    expect(await store.listIncidents({ service: 'web8' })).toEqual([]);
    expect((await store.getIncident(joined!.incident.id))?.counted?.[key('web8')]).toBe(8046 * MIN);
    for (const c of crowd) await store.updateIncident({ ...c, status: 'resolved', resolvedAt: c.openedAt + MIN });
  });

  it("a service whose anomalies do not move with the open incident's series opens its own", async () => {
    await latency('db2', 2000, 40, 3);
    await latency('api2', 2000, null, 4);
    await feed('db2', [2040, 2041], 2042);
    const own = await feed('api2', [2041, 2042], 2043);
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'api2']]);
  });

  it('a service that started outside the co-onset window opens its own', async () => {
    await latency('db3', 3000, 10, 5);
    await latency('web3', 3000, 10, 6);
    await feed('db3', [3010, 3011], 3012);
    const own = await feed('web3', [3022, 3023], 3024);
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'web3']]);
  });

  it('a service whose own deploy explains its change opens its own when the other incident has a suspect of its own: two deploys, two changes', async () => {
    await latency('db4', 4000, 40, 7);
    await latency('web4', 4000, 41, 8);
    await feed('db4', [4040, 4041], 4042);
    const [host] = await store.listIncidents({ service: 'db4' });
    await store.updateIncident({
      ...host!,
      suspect: { deploymentId: 'db4-deploy', confidence: 0.9, reason: 'db4 1.0 deployed 2 min before onset' },
    });
    const asked: string[] = [];
    const ownCause = async (draft: { service: string }) => {
      asked.push(draft.service);
      return 'web4 2.0 deployed 3 min before onset';
    };
    const own = await feed('web4', [4041, 4042], 4043, { ownCause });
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'web4']]);
    expect(asked).toEqual(['web4']);
  });

  it('...and joins one with no suspect whose symptoms a caller inherits (latency, errors): that is its change felt by a caller', async () => {
    await latency('api13', 13_000, 40, 25);
    await latency('svc13', 13_000, 41, 26);
    // The caller paged first: its lower baseline crossed the threshold sooner.
    await feed('api13', [13_040, 13_041], 13_042);
    const ownCause = async () => 'svc13 2.0 deployed 3 min before onset';
    const joined = await feed('svc13', [13_041, 13_042], 13_043, { ownCause });
    expect(joined.map((e) => [e.kind, e.incident.service, e.incident.services])).toEqual([
      ['updated', 'api13', ['api13', 'svc13']],
    ]);
  });

  it('...but not one with no suspect whose own resource rose (memory): that has a cause of its own', async () => {
    await latency('svc14', 14_000, 41, 23);
    const memKey = 'sim:memory_pct{service="api14"}';
    const r = noise(24);
    const points: Point[] = [];
    for (let m = 0; m < 60; m++) points.push({ t: (14_000 + m) * MIN, v: (m >= 40 ? 200 : 100) + 5 * r() });
    await store.upsertSeriesMany([
      { key: memKey, service: 'api14', metric: 'memory_pct', source: 'sim', labels: { service: 'api14' } },
    ]);
    await store.insertPointsMany([{ seriesKey: memKey, points }]);
    const mem = (m: number): Anomaly => ({ ...anomaly('api14', m), seriesKey: memKey, metric: 'memory_pct' });
    await store.insertAnomalies([mem(14_040), mem(14_041)]);
    await advance({ service: 'api14', anomalies: [mem(14_040), mem(14_041)], now: 14_042 * MIN }, { store, policy });
    const ownCause = async () => 'svc14 2.0 deployed 3 min before onset';
    const own = await feed('svc14', [14_041, 14_042], 14_043, { ownCause });
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'svc14']]);
  });

  it("joins an incident that another key's longer batch already took through to its end: it was open at this group's confirmation, in data time", async () => {
    // Both step up at minute 40 and recover at 50: one backend degradation, felt by its caller.
    await blip('db9', 9000, 50, 17);
    await blip('web9', 9000, 50, 18);
    // db9's batch runs to minute 89: its incident opens and resolves within it.
    expect((await feed('db9', [9040, 9041, 9045], 9089)).map((e) => e.kind)).toEqual(['opened', 'resolved']);
    const [host] = await store.listIncidents({ service: 'db9' });
    expect(host).toMatchObject({ status: 'resolved', resolvedAt: (9049 + 15) * MIN });
    // web9's batch over the same minutes confirms at 9041, when db9's incident was still open.
    const events = await feed('web9', [9040, 9041, 9046], 9089);
    expect(events.map((e) => [e.kind, e.incident.id])).toEqual([
      ['updated', host!.id],
      ['resolved', host!.id],
    ]);
    expect(await store.listIncidents({ service: 'web9' })).toEqual([]);
    const after = await store.getIncident(host!.id);
    expect(after).toMatchObject({ status: 'resolved', services: ['db9', 'web9'], lastAnomalyAt: 9046 * MIN });
    // Resolved again once both were quiet: web9's last anomaly came later than db9's.
    expect(after!.resolvedAt).toBe((9049 + 15) * MIN);
    expect((await store.timeline(host!.id)).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['opened', 'resolved', 'reopened', 'joined']),
    );
  });

  it('does not re-open an incident that had resolved before the group confirmed, or one its service has since replaced', async () => {
    await latency('db10', 10_000, 40, 19);
    await latency('web10', 10_000, 41, 20);
    await feed('db10', [10_040, 10_041], 10_042);
    const [host] = await store.listIncidents({ service: 'db10' });
    await store.updateIncident({ ...host!, status: 'resolved', resolvedAt: 10_042 * MIN });
    const own = await feed('web10', [10_041, 10_043], 10_044);
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'web10']]);
  });

  it("a joined service's anomalies that are stored but not folded in yet (its batch waits for the lock) keep the incident from resolving", async () => {
    await blip('db11', 11_000, 45, 21);
    await blip('web11', 11_000, 45, 22);
    await feed('db11', [11_040, 11_041], 11_042);
    const [joined] = await feed('web11', [11_041, 11_042], 11_043);
    expect(joined?.incident.services).toEqual(['db11', 'web11']);
    // web11's next batch has scored an anomaly at 11055, but db11's batch takes the lock first.
    await store.insertAnomalies([anomaly('web11', 11_055)]);
    const early = await advance({ service: 'db11', anomalies: [], now: 11_065 * MIN }, { store, policy });
    expect(early).toEqual([]);
    await advance({ service: 'web11', anomalies: [anomaly('web11', 11_055)], now: 11_065 * MIN }, { store, policy });
    const late = await advance({ service: 'db11', anomalies: [], now: 11_075 * MIN }, { store, policy });
    expect(late.map((e) => [e.kind, e.incident.resolvedAt])).toEqual([['resolved', 11_070 * MIN]]);
  });

  it('is off with coOnsetWithin 0', async () => {
    await latency('db5', 5000, 40, 9);
    await latency('web5', 5000, 41, 10);
    const off = { policy: { ...policy, coOnsetWithin: 0 } };
    await feed('db5', [5040, 5041], 5042, off);
    const own = await feed('web5', [5041, 5042], 5043, off);
    expect(own.map((e) => [e.kind, e.incident.service])).toEqual([['opened', 'web5']]);
  });
});

describe('correlation', () => {
  const pts = (vs: number[]) => vs.map((v, i) => ({ t: i * MIN, v }));
  it('is 1 for a linear relation and -1 for a reversed one, over the timestamps both series have', () => {
    expect(correlation(pts([1, 2, 3, 4, 5, 6, 7, 8]), pts([3, 5, 7, 9, 11, 13, 15, 17]))?.r).toBeCloseTo(1, 10);
    expect(correlation(pts([1, 2, 3, 4, 5, 6, 7, 8]), pts([8, 7, 6, 5, 4, 3, 2, 1]))?.r).toBeCloseTo(-1, 10);
    const gappy = pts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).filter((p) => p.t !== 3 * MIN);
    expect(correlation(gappy, pts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toEqual({ r: expect.closeTo(1, 10), n: 9 });
  });

  it('is near 0 for a step in one series and noise in the other', () => {
    const r = noise(11);
    const step = pts(Array.from({ length: 40 }, (_, i) => (i >= 35 ? 200 : 100) + r()));
    const flat = pts(Array.from({ length: 40 }, () => 100 + r()));
    expect(Math.abs(correlation(step, flat)!.r)).toBeLessThan(0.5);
  });

  it('needs 8 shared samples and some variation', () => {
    expect(correlation(pts([1, 2, 3]), pts([1, 2, 3]))).toBeNull();
    expect(correlation(pts([5, 5, 5, 5, 5, 5, 5, 5]), pts([1, 2, 3, 4, 5, 6, 7, 8]))).toBeNull();
  });
});
