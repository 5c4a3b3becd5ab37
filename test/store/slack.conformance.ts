/**
 * Conformance of the notification-ref, silence and feedback stores
 * (migration 005): every Store implementation runs these.
 */
import type { AnomalyFeedback, Store } from '../../src/store/index.js';
import { uid } from './fixtures.js';

export function slackStoreConformance(name: string, makeStore: () => Promise<Store>): void {
  describe(`Slack stores conformance: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    test('a notification ref is saved, replaced and kept per notifier', async () => {
      const inc = `inc-${uid()}`;
      expect(await store.getNotificationRef('slack', inc)).toBeNull();
      await store.saveNotificationRef('slack', inc, { channel: 'C1', ts: null, postedAt: 1000 });
      expect(await store.getNotificationRef('slack', inc)).toEqual({
        channel: 'C1',
        ts: null,
        postedAt: 1000,
        summary: false,
        replied: 0,
      });
      const posted = { channel: 'C1', ts: '1700000000.000100', postedAt: 1001, summary: true, replied: 3 };
      await store.saveNotificationRef('slack', inc, posted);
      expect(await store.getNotificationRef('slack', inc)).toEqual(posted);
      expect(await store.getNotificationRef('other', inc)).toBeNull();
    });

    test('silences are listed while active, soonest expiry first, and removed by id', async () => {
      const svc = `svc-${uid()}`;
      const base = { reason: null, createdBy: 'U1', createdAt: 1 };
      const a = {
        ...base,
        id: `s-${uid()}`,
        target: { kind: 'service' as const, value: svc },
        until: 5_000,
        reason: 'deploy window',
      };
      const b = { ...base, id: `s-${uid()}`, target: { kind: 'series' as const, value: `${svc}:cpu{}` }, until: 3_000 };
      await store.addSilence(a);
      await store.addSilence(b);
      const mine = (now: number) =>
        store.listActiveSilences(now).then((l) => l.filter((s) => s.id === a.id || s.id === b.id));
      expect(await mine(1_000)).toEqual([b, a]);
      expect(await mine(3_000)).toEqual([a]);
      expect(await mine(5_000)).toEqual([]);
      expect(await store.removeSilence(a.id)).toBe(true);
      expect(await store.removeSilence(a.id)).toBe(false);
      expect(await mine(1_000)).toEqual([b]);
    });

    test('feedback is listed per series, revoked once, and kept for the record', async () => {
      const key = `sim:cpu{x="${uid()}"}`;
      const f: AnomalyFeedback = {
        id: `f-${uid()}`,
        seriesKey: key,
        kind: 'spike',
        deviation: 2.5,
        incidentId: 'inc-1',
        createdBy: 'U1',
        createdAt: 10,
        revokedAt: null,
        revokedBy: null,
      };
      await store.addFeedback(f);
      await store.addFeedback({ ...f, id: `f-${uid()}`, seriesKey: `${key}-other`, createdAt: 11 });
      expect(await store.listFeedback({ seriesKey: key })).toEqual([f]);
      expect(await store.revokeFeedback(f.id, 'U2', 20)).toBe(true);
      expect(await store.revokeFeedback(f.id, 'U2', 21)).toBe(false);
      expect(await store.listFeedback({ seriesKey: key })).toEqual([]);
      expect(await store.listFeedback({ seriesKey: key, includeRevoked: true })).toEqual([
        { ...f, revokedAt: 20, revokedBy: 'U2' },
      ]);
    });
  });
}
