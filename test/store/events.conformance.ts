/**
 * Conformance of the change-event ports (external events, webhook
 * deliveries) and the deployment upsert's out-of-order rules: every Store
 * implementation runs these (PGlite and real Postgres). Each test works on
 * its own ids and services (see `uid`).
 */
import type { ExternalEvent } from '../../src/domain/index.js';
import type { Store } from '../../src/store/index.js';
import { deployment, uid } from './fixtures.js';

function alert(service: string, at: number, over: Partial<ExternalEvent> = {}): ExternalEvent {
  return {
    id: `ev-${uid()}`,
    source: 'alertmanager',
    service,
    at,
    kind: 'alert',
    status: 'firing',
    title: 'HighLatency',
    detail: 'p99 above 500 ms',
    url: 'https://prom.example.test/graph',
    labels: { alertname: 'HighLatency', severity: 'page' },
    ...over,
  };
}

export function eventsConformance(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store conformance (change events): ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('external events', () => {
      test('insert is new once per id and the first report wins', async () => {
        const e = alert(`svc-${uid()}`, 1000);
        expect(await store.insertExternalEvent(e)).toBe(true);
        expect(await store.insertExternalEvent({ ...e, title: 'changed' })).toBe(false);
        expect(await store.listExternalEvents({ service: e.service })).toEqual([e]);
      });

      test('list filters by service and [since, until), oldest first, with a limit', async () => {
        const svc = `svc-${uid()}`;
        const es = [
          alert(svc, 3000),
          alert(svc, 1000, { status: 'resolved', detail: null, url: null, labels: {} }),
          alert(svc, 2000),
        ];
        for (const e of es) await store.insertExternalEvent(e);
        await store.insertExternalEvent(alert(`other-${uid()}`, 2500));
        const ats = async (q: Parameters<Store['listExternalEvents']>[0]) =>
          (await store.listExternalEvents(q)).map((e) => e.at);
        expect(await ats({ service: svc })).toEqual([1000, 2000, 3000]);
        expect(await ats({ service: svc, since: 2000, until: 3000 })).toEqual([2000]);
        expect(await ats({ service: svc, limit: 2 })).toEqual([1000, 2000]);
        expect(await ats({ since: 2000, until: 3000 })).toEqual(expect.arrayContaining([2000, 2500]));
        expect((await store.listExternalEvents({ service: svc }))[0]).toEqual(es[1]);
      });
    });

    describe('webhook deliveries', () => {
      test('a claim wins once per (source, id); release allows it again', async () => {
        const id = `d-${uid()}`;
        expect(await store.claimDelivery('sns', id, 1000)).toBe(true);
        expect(await store.claimDelivery('sns', id, 2000)).toBe(false);
        expect(await store.claimDelivery('github', id, 2000)).toBe(true);
        await store.releaseDelivery('sns', id);
        expect(await store.claimDelivery('sns', id, 3000)).toBe(true);
        await store.releaseDelivery('sns', `never-${uid()}`);
      });

      test('concurrent claims of one delivery: exactly one wins', async () => {
        const id = `d-${uid()}`;
        const wins = await Promise.all([1, 2, 3, 4].map(() => store.claimDelivery('eventbridge', id, 1000)));
        expect(wins.filter(Boolean)).toHaveLength(1);
      });

      test('prune deletes deliveries received before the cutoff and counts them', async () => {
        const [old1, old2, fresh] = [`d-${uid()}`, `d-${uid()}`, `d-${uid()}`];
        // Far in the past so rows of other tests (received at 1000+) are never in the way of the count.
        await store.claimDelivery('prune', old1, -2000);
        await store.claimDelivery('prune', old2, -1500);
        await store.claimDelivery('prune', fresh, 5000);
        expect(await store.pruneDeliveries(-1000)).toBe(2);
        expect(await store.claimDelivery('prune', old1, 6000)).toBe(true);
        expect(await store.claimDelivery('prune', fresh, 6000)).toBe(false);
      });
    });

    describe('deployment upsert order', () => {
      test('a late started keeps the terminal status and finishedAt of the same deploy', async () => {
        for (const terminal of ['succeeded', 'failed', 'stopped'] as const) {
          const done = deployment(`svc-${uid()}`, 5000, {
            status: terminal,
            finishedAt: 9000,
            version: null,
            actor: null,
          });
          await store.upsertDeployment(done);
          await store.upsertDeployment({
            ...done,
            status: 'started',
            startedAt: 4000,
            finishedAt: null,
            version: 'v7',
            actor: 'bob',
          });
          expect(await store.getDeployment(done.id)).toEqual({ ...done, startedAt: 4000, version: 'v7', actor: 'bob' });
        }
      });

      test('a terminal status after started replaces it and keeps the earlier start', async () => {
        const started = deployment(`svc-${uid()}`, 1000, { status: 'started', finishedAt: null });
        await store.upsertDeployment(started);
        const done = { ...started, status: 'failed' as const, startedAt: 8000, finishedAt: 8000 };
        await store.upsertDeployment(done);
        expect(await store.getDeployment(started.id)).toEqual({ ...done, startedAt: 1000 });
        // A later terminal status still replaces an earlier one (e.g. a corrected result).
        await store.upsertDeployment({ ...done, status: 'succeeded', finishedAt: 9000 });
        expect(await store.getDeployment(started.id)).toMatchObject({
          status: 'succeeded',
          finishedAt: 9000,
          startedAt: 1000,
        });
      });
    });
  });
}
