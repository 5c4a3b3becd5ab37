/** The notify stage against the embedded store: silences drop, charts load, playbooks pass through. */
import type { Incident } from '../../src/domain/index.js';
import type { Notifier, NotifyEvent } from '../../src/notify/index.js';
import { deliver } from '../../src/stages/notify.js';
import { openStore, type Store } from '../../src/store/index.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
});

const t0 = Date.UTC(2026, 0, 5, 10, 0);
function incident(id: string, service: string): Incident {
  const key = `sim:cpu{service="${service}"}`;
  return {
    id,
    service,
    status: 'open',
    severity: 'high',
    openedAt: t0,
    lastAnomalyAt: t0 + 60_000,
    resolvedAt: null,
    seriesKeys: [key],
    anomalyCount: 2,
    suspect: null,
    headline: {
      seriesKey: key,
      metric: 'cpu',
      t: t0,
      observed: 90,
      expected: 20,
      band: [10, 30],
      kind: 'spike',
      score: 0.9,
    },
  };
}

function recorder(wantsChart = false): Notifier & { events: NotifyEvent[] } {
  const events: NotifyEvent[] = [];
  return {
    name: 'rec',
    wantsChart,
    events,
    async send(e) {
      events.push(e);
      return { ok: true, ref: null };
    },
  };
}

test('a silenced service or series drops the notification and logs it; an expired silence does not', async () => {
  const { incident: i } = await store.openOrGetIncident(incident('inc-silence', 'billing'));
  const logged: string[] = [];
  const log = {
    info: (_o: object, msg: string) => {
      logged.push(msg);
    },
  };
  const n = recorder();
  await store.addSilence({
    id: 'sil-1',
    target: { kind: 'service', value: 'billing' },
    until: 2_000,
    reason: null,
    createdBy: 'U1',
    createdAt: 0,
  });
  await deliver(store, n, i.id, 'opened', { log, now: () => 1_000 });
  expect(n.events).toHaveLength(0);
  expect(logged).toEqual(['notification dropped: service billing is silenced']);
  await deliver(store, n, i.id, 'opened', { log, now: () => 2_000 });
  expect(n.events).toHaveLength(1);

  await store.addSilence({
    id: 'sil-2',
    target: { kind: 'series', value: i.seriesKeys[0]! },
    until: 5_000,
    reason: null,
    createdBy: 'U1',
    createdAt: 0,
  });
  await deliver(store, n, i.id, 'updated', { log, now: () => 3_000 });
  expect(n.events).toHaveLength(1);
  expect(logged[1]).toContain('series sim:cpu');
});

test('a chart notifier gets the stored points and anomalies; the recommended playbook is passed on', async () => {
  const { incident: i } = await store.openOrGetIncident(incident('inc-chart', 'search'));
  const key = i.headline.seriesKey;
  await store.insertPoints(key, [
    { t: t0 - 60_000, v: 20 },
    { t: t0, v: 90 },
  ]);
  await store.insertAnomalies([
    {
      seriesKey: key,
      service: 'search',
      metric: 'cpu',
      t: t0,
      observed: 90,
      expected: 20,
      band: [10, 30],
      score: 0.9,
      kind: 'spike',
    },
  ]);
  const n = recorder(true);
  await deliver(store, n, i.id, 'opened', { recommend: async () => ({ name: 'restart', title: 'Restart the pods' }) });
  expect(n.events[0]?.chart).toEqual({
    title: 'search · cpu',
    points: [
      { t: t0 - 60_000, v: 20 },
      { t: t0, v: 90 },
    ],
    band: [{ t: t0, lo: 10, hi: 30 }],
    anomalies: [{ t: t0, v: 90 }],
  });
  expect(n.events[0]?.playbook).toEqual({ name: 'restart', title: 'Restart the pods' });
  const plain = recorder(false);
  await deliver(store, plain, i.id, 'opened');
  expect(plain.events[0]?.chart).toBeNull();
});
