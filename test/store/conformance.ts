/**
 * The Store conformance suite: every implementation of the Store port runs
 * these same behaviour tests (PGlite in memory and on disk, real Postgres).
 *
 * One store is shared by the whole describe block (PGlite starts slowly), so
 * every test works on its own services/keys/times (see `uid`) and asserts
 * only on rows it wrote. `persistent: true` adds a close-and-reopen test:
 * `makeStore` must then open the same underlying database each time.
 */
import type { Store } from '../../src/store/index.js';
import { anomaly, audit, deployment, incident, uid } from './fixtures.js';

export interface ConformanceOptions {
  readonly persistent?: boolean;
}

export function storeConformance(name: string, makeStore: () => Promise<Store>, opts: ConformanceOptions = {}): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    test('ping answers and backend is named', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      expect(['postgres', 'pglite']).toContain(store.backend);
    });

    test('compact keeps every live row, and the store goes on as before', async () => {
      const key = `k-${uid()}`;
      const src = `src-${uid()}`;
      await store.upsertSeries({ key, source: 'prom', metric: 'cpu', service: `svc-${uid()}`, labels: {} });
      for (let t = 1; t <= 3; t++) {
        await store.saveDetectorState(key, { state: { n: t, pad: 'x'.repeat(4000) }, lastT: t });
        await store.setCursor(src, key, t);
      }
      await expect(store.compact()).resolves.toBeUndefined();
      expect(await store.loadDetectorState(key)).toEqual({ state: { n: 3, pad: 'x'.repeat(4000) }, lastT: 3 });
      expect(await store.getCursor(src, key)).toBe(3);
      expect((await store.getSeries(key))?.metric).toBe('cpu');
      await store.saveDetectorState(key, { state: { n: 4 }, lastT: 4 });
      expect(await store.loadDetectorState(key)).toEqual({ state: { n: 4 }, lastT: 4 });
    });

    describe('series registry', () => {
      test('upsert, get, list by service; a second upsert replaces', async () => {
        const svc = `svc-${uid()}`;
        const a = {
          key: `k-${uid()}`,
          source: 'prom',
          metric: 'cpu',
          service: svc,
          labels: { pod: 'a-1', zone: 'eu' },
        };
        const b = { key: `k-${uid()}`, source: 'cw', metric: 'mem', service: svc, labels: {} };
        await store.upsertSeries(a);
        await store.upsertSeries(b);
        await store.upsertSeries(a); // unchanged: a no-op
        expect(await store.getSeries(a.key)).toEqual(a);
        expect(await store.getSeries(`missing-${uid()}`)).toBeNull();
        expect(await store.listSeries({ service: svc })).toEqual([a, b].sort((x, y) => x.key.localeCompare(y.key)));

        const moved = { ...a, service: `other-${uid()}`, labels: { pod: 'a-2' } };
        await store.upsertSeries(moved);
        expect(await store.getSeries(a.key)).toEqual(moved);
        expect(await store.listSeries({ service: svc })).toEqual([b]);
        expect((await store.listSeries()).map((s) => s.key)).toEqual(expect.arrayContaining([a.key, b.key]));
      });

      test('upsertSeriesMany registers and replaces a batch, a key given twice once', async () => {
        const svc = `svc-${uid()}`;
        const a = { key: `k-${uid()}`, source: 'prom', metric: 'cpu', service: svc, labels: { pod: 'a-1' } };
        const b = { key: `k-${uid()}`, source: 'cw', metric: 'mem', service: svc, labels: {} };
        await store.upsertSeriesMany([a, b, a]);
        await store.upsertSeriesMany([]);
        expect(await store.listSeries({ service: svc })).toEqual([a, b].sort((x, y) => x.key.localeCompare(y.key)));
        const moved = { ...b, labels: { zone: 'eu' } };
        await store.upsertSeriesMany([a, moved]);
        expect(await store.getSeries(b.key)).toEqual(moved);
      });
    });

    describe('detector state', () => {
      test('round-trips nested JSON and replaces on save', async () => {
        const key = `k-${uid()}`;
        expect(await store.loadDetectorState(key)).toBeNull();
        const state = {
          version: 3,
          name: 'ensemble',
          weights: [0.25, 0.5, 0.25],
          neg: -1.5e-7,
          big: 1.7e308,
          models: {
            ewma: { mean: 12.5, var: 3.25, n: 1440 },
            seasonal: {
              period: 288,
              buckets: [
                [1, 2],
                [3, 4.5],
              ],
            },
          },
          flags: { warm: true, tripped: false, none: null },
          text: 'üñí "quoted" \\ back',
        };
        await store.saveDetectorState(key, { state, lastT: 1_700_000_123_456 });
        expect(await store.loadDetectorState(key)).toEqual({ state, lastT: 1_700_000_123_456 });
        await store.saveDetectorState(key, { state: [1, 'two', { three: 3 }], lastT: 1_700_000_999_000 });
        expect(await store.loadDetectorState(key)).toEqual({
          state: [1, 'two', { three: 3 }],
          lastT: 1_700_000_999_000,
        });
      });

      // Regression: jsonb reordered keys, so a detector comparing its saved
      // configuration by JSON text refused its own snapshot after one save.
      test('keeps object key order exactly as saved', async () => {
        const key = `k-${uid()}`;
        const state = { zeta: 1, alpha: { long_key_name: 2, b: 3 }, mid: [{ y: 1, x: 2 }] };
        await store.saveDetectorState(key, { state, lastT: 1 });
        const loaded = await store.loadDetectorState(key);
        expect(JSON.stringify(loaded?.state)).toBe(JSON.stringify(state));
      });

      test('saveDetectorStates saves a batch in key order as given, the last of a repeated key winning', async () => {
        const [a, b] = [`k-${uid()}`, `k-${uid()}`];
        await store.saveDetectorState(b, { state: { old: true }, lastT: 1 });
        await store.saveDetectorStates([
          { seriesKey: a, snapshot: { state: { zeta: 1, alpha: [1, 2] }, lastT: 10 } },
          { seriesKey: b, snapshot: { state: { first: 1 }, lastT: 20 } },
          { seriesKey: b, snapshot: { state: { second: 2 }, lastT: 30 } },
        ]);
        await store.saveDetectorStates([]);
        expect(JSON.stringify(await store.loadDetectorState(a))).toBe(
          JSON.stringify({ state: { zeta: 1, alpha: [1, 2] }, lastT: 10 }),
        );
        expect(await store.loadDetectorState(b)).toEqual({ state: { second: 2 }, lastT: 30 });
      });

      test('saveScored saves the states and moves the cursors together, cursors forward only', async () => {
        const src = `src-${uid()}`;
        const [a, b] = [`k-${uid()}`, `k-${uid()}`];
        await store.setCursor(src, b, 500);
        await store.saveScored(src, [
          { seriesKey: a, snapshot: { state: { n: 1 }, lastT: 10 } },
          { seriesKey: b, snapshot: { state: { n: 2 }, lastT: 20 } },
          { seriesKey: a, snapshot: { state: { n: 3 }, lastT: 30 } },
        ]);
        await store.saveScored(src, []);
        expect(await store.loadDetectorState(a)).toEqual({ state: { n: 3 }, lastT: 30 });
        expect(await store.loadDetectorState(b)).toEqual({ state: { n: 2 }, lastT: 20 });
        expect(await store.getCursor(src, a)).toBe(30);
        expect(await store.getCursor(src, b)).toBe(500);
        await store.saveScored(src, [{ seriesKey: b, snapshot: { state: null, lastT: 600 } }]);
        expect(await store.loadDetectorState(b)).toEqual({ state: null, lastT: 600 });
        expect(await store.getCursor(src, b)).toBe(600);
      });

      test('saveScored moves the cursors it is given besides, forward only; with no states, only those', async () => {
        const src = `src-${uid()}`;
        const [a, q] = [`k-${uid()}`, `query-${uid()}`];
        await store.setCursor(src, q, 900);
        await store.saveScored(
          src,
          [{ seriesKey: a, snapshot: { state: { n: 1 }, lastT: 10 } }],
          [
            { seriesKey: q, t: 800 },
            { seriesKey: a, t: 5 },
          ],
        );
        expect(await store.listCursors(src)).toEqual([
          { seriesKey: a, t: 10 },
          { seriesKey: q, t: 900 },
        ]);
        await store.saveScored(
          src,
          [{ seriesKey: a, snapshot: { state: { n: 2 }, lastT: 20 } }],
          [{ seriesKey: q, t: 1000 }],
        );
        expect(await store.getCursor(src, q)).toBe(1000);
        await store.saveScored(src, [], [{ seriesKey: q, t: 1100 }]);
        expect(await store.getCursor(src, q)).toBe(1100);
        expect(await store.loadDetectorState(a)).toEqual({ state: { n: 2 }, lastT: 20 });
      });

      test('saveScored that fails saves no state and moves no cursor', async () => {
        const src = `src-${uid()}`;
        const [a, b] = [`k-${uid()}`, `k-${uid()}`];
        await expect(
          store.saveScored(
            src,
            [
              { seriesKey: a, snapshot: { state: { n: 1 }, lastT: 10 } },
              { seriesKey: b, snapshot: { state: { n: 2 }, lastT: 20.5 } }, // not a bigint: the statement fails
            ],
            [{ seriesKey: `query-${uid()}`, t: 100 }],
          ),
        ).rejects.toThrow();
        expect(await store.loadDetectorState(a)).toBeNull();
        expect(await store.listCursors(src)).toEqual([]);
      });

      test("a loaded state is the caller's own: changing it never changes what the next load returns", async () => {
        const key = `k-${uid()}`;
        const state = { xs: [1, 2, 3], nested: { y: 'z' }, pad: 'p'.repeat(5000) };
        await store.saveDetectorState(key, { state, lastT: 7 });
        for (let i = 0; i < 3; i++) {
          const loaded = await store.loadDetectorState(key);
          expect(loaded).toEqual({ state, lastT: 7 });
          (loaded?.state as { xs: number[] }).xs.push(99);
          (loaded?.state as { nested: { y: string } }).nested.y = 'changed';
        }
        await store.saveDetectorState(key, { state: { v: 2 }, lastT: 7 });
        expect(await store.loadDetectorState(key)).toEqual({ state: { v: 2 }, lastT: 7 });
      });
    });

    describe('anomalies', () => {
      test('insert returns only the new ones; duplicates (also within a batch) are ignored', async () => {
        const key = `k-${uid()}`;
        const before = await store.countAnomalies();
        const first = [anomaly(key, 1000), anomaly(key, 2000)];
        expect(await store.insertAnomalies(first)).toEqual(first);
        const again = [anomaly(key, 2000, { score: 0.5 }), anomaly(key, 3000), anomaly(key, 3000, { score: 0.1 })];
        expect(await store.insertAnomalies(again)).toEqual([anomaly(key, 3000)]);
        expect(await store.insertAnomalies([])).toEqual([]);
        expect((await store.countAnomalies()) - before).toBe(3);
        // the first verdict stays
        expect((await store.listAnomalies({ seriesKey: key })).map((a) => a.score)).toEqual([0.97, 0.97, 0.97]);
      });

      test('list filters by series, service, [since, until) and limit, ordered by t', async () => {
        const svc = `svc-${uid()}`;
        const k1 = `k1-${uid()}`;
        const k2 = `k2-${uid()}`;
        await store.insertAnomalies([
          anomaly(k1, 5000, { service: svc }),
          anomaly(k2, 1000, { service: svc, kind: 'dip', band: [-1.5, 2.25] }),
          anomaly(k1, 3000, { service: svc }),
          anomaly(k2, 4000, { service: svc }),
        ]);
        const all = await store.listAnomalies({ service: svc });
        expect(all.map((a) => [a.seriesKey, a.t])).toEqual([
          [k2, 1000],
          [k1, 3000],
          [k2, 4000],
          [k1, 5000],
        ]);
        expect(all[0]).toEqual(anomaly(k2, 1000, { service: svc, kind: 'dip', band: [-1.5, 2.25] }));
        expect((await store.listAnomalies({ seriesKey: k1 })).map((a) => a.t)).toEqual([3000, 5000]);
        expect((await store.listAnomalies({ service: svc, since: 3000, until: 5000 })).map((a) => a.t)).toEqual([
          3000, 4000,
        ]);
        expect((await store.listAnomalies({ service: svc, limit: 2 })).map((a) => a.t)).toEqual([1000, 3000]);
        expect(await store.listAnomalies({ service: `none-${uid()}` })).toEqual([]);
        const other = `svc-${uid()}`;
        await store.insertAnomalies([anomaly(`k3-${uid()}`, 2000, { service: other })]);
        expect((await store.listAnomalies({ services: [svc, other], until: 3500 })).map((a) => a.t)).toEqual([
          1000, 2000, 3000,
        ]);
        expect(await store.listAnomalies({ services: [`none-${uid()}`] })).toEqual([]);
      });

      test('a batch larger than one statement holds is inserted whole', async () => {
        const key = `k-${uid()}`;
        const batch = Array.from({ length: 1200 }, (_, i) => anomaly(key, i * 1000));
        expect(await store.insertAnomalies(batch)).toHaveLength(1200);
        expect(await store.insertAnomalies(batch)).toEqual([]);
        expect(await store.listAnomalies({ seriesKey: key })).toHaveLength(1200);
      });
    });

    describe('incidents', () => {
      test('openOrGetIncident opens once, then returns the open one', async () => {
        const svc = `svc-${uid()}`;
        const draft = incident(svc);
        expect(await store.openOrGetIncident(draft)).toEqual({ incident: draft, created: true });
        const other = incident(svc, { openedAt: draft.openedAt + 5000 });
        expect(await store.openOrGetIncident(other)).toEqual({ incident: draft, created: false });
        expect(await store.getIncident(draft.id)).toEqual(draft);
        expect(await store.getIncident(other.id)).toBeNull();
      });

      test('10 concurrent openOrGetIncident calls create exactly one', async () => {
        const svc = `svc-${uid()}`;
        const drafts = Array.from({ length: 10 }, () => incident(svc));
        const results = await Promise.all(drafts.map((d) => store.openOrGetIncident(d)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
        expect(await store.listIncidents({ service: svc })).toHaveLength(1);
      });

      test('after resolving, a new incident opens; the old one cannot reopen beside it', async () => {
        const svc = `svc-${uid()}`;
        const first = incident(svc);
        await store.openOrGetIncident(first);
        const resolved = { ...first, status: 'resolved' as const, resolvedAt: first.openedAt + 900_000 };
        await store.updateIncident(resolved);
        expect(await store.getIncident(first.id)).toEqual(resolved);

        const second = incident(svc, { openedAt: first.openedAt + 1_000_000 });
        expect(await store.openOrGetIncident(second)).toEqual({ incident: second, created: true });
        await expect(store.updateIncident({ ...first, status: 'open', resolvedAt: null })).rejects.toMatchObject({
          code: 'E_STORE_CONFLICT',
        });
        expect((await store.listIncidents({ service: svc, status: 'open' })).map((i) => i.id)).toEqual([second.id]);
      });

      test('updateIncident replaces the whole incident; a missing id is an error', async () => {
        const draft = incident(`svc-${uid()}`);
        await store.openOrGetIncident(draft);
        const updated = {
          ...draft,
          severity: 'critical' as const,
          anomalyCount: 9,
          seriesKeys: ['a', 'b'],
          suspect: null,
          lastAnomalyAt: draft.lastAnomalyAt + 1,
        };
        await store.updateIncident(updated);
        expect(await store.getIncident(draft.id)).toEqual(updated);
        await expect(store.updateIncident(incident('x'))).rejects.toMatchObject({ code: 'E_STORE_NOT_FOUND' });
      });

      test('openOrGetIncident refuses a draft that is not open', async () => {
        await expect(
          store.openOrGetIncident(incident(`svc-${uid()}`, { status: 'resolved', resolvedAt: 1 })),
        ).rejects.toMatchObject({ code: 'E_STORE_QUERY' });
      });

      test('listIncidents is newest first and filters by status, service and limit', async () => {
        const svc = `svc-${uid()}`;
        const t0 = 1_800_000_000_000;
        const old = incident(svc, { openedAt: t0, status: 'resolved', resolvedAt: t0 + 10 });
        const mid = incident(svc, { openedAt: t0 + 1000, status: 'resolved', resolvedAt: t0 + 1010 });
        const open = incident(svc, { openedAt: t0 + 2000 });
        for (const i of [mid, old]) {
          await store.openOrGetIncident({ ...i, status: 'open', resolvedAt: null });
          await store.updateIncident(i);
        }
        await store.openOrGetIncident(open);
        const ids = async (q: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.id);
        expect(await ids({ service: svc })).toEqual([open.id, mid.id, old.id]);
        expect(await ids({ service: svc, status: 'resolved' })).toEqual([mid.id, old.id]);
        expect(await ids({ service: svc, status: 'resolved', limit: 1 })).toEqual([mid.id]);
        expect(await ids({ service: svc, status: 'open' })).toEqual([open.id]);
        expect(await ids({ status: 'open' })).toContain(open.id);
      });

      test("listIncidents by members: the incident's service or one of the services it lists", async () => {
        const run = uid();
        const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => `svc-${x}-${run}`) as [string, string, string, string];
        const t0 = 1_800_000_000_000;
        const group = incident(a, { openedAt: t0, services: [a, b] });
        const alone = incident(c, { openedAt: t0 + 1000 });
        const newer = incident(d, { openedAt: t0 + 2000, services: [d, b] });
        const gone = incident(`svc-e-${run}`, { openedAt: t0 + 3000, services: [`svc-e-${run}`, b] });
        for (const i of [group, alone, newer, gone]) await store.openOrGetIncident(i);
        await store.updateIncident({ ...gone, status: 'resolved', resolvedAt: t0 + 4000 });
        const ids = async (q: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.id);
        expect(await ids({ status: 'open', members: [b] })).toEqual([newer.id, group.id]);
        expect(await ids({ status: 'open', members: [b], limit: 1 })).toEqual([newer.id]);
        expect(await ids({ members: [b] })).toEqual([gone.id, newer.id, group.id]);
        expect(await ids({ status: 'open', members: [a] })).toEqual([group.id]);
        expect(await ids({ status: 'open', members: [c, `svc-none-${run}`] })).toEqual([alone.id]);
        expect(await ids({ status: 'open', members: [`svc-none-${run}`] })).toEqual([]);
        expect(await ids({ status: 'open', members: [] })).toEqual([]);
        expect(await ids({ status: 'open', service: d, members: [a, b] })).toEqual([newer.id]);
        const odd = incident(`svc-f-${run}`, { openedAt: t0 + 5000, services: [`svc-g-${run}`] });
        await store.openOrGetIncident(odd);
        expect(await ids({ status: 'open', members: [`svc-f-${run}`] })).toEqual([odd.id]);
        expect(await ids({ status: 'open', members: [`svc-g-${run}`] })).toEqual([odd.id]);
      });

      test('listIncidents by onset: openedAt within [from, to], bounds included, with the other filters', async () => {
        const run = uid();
        const t0 = 1_900_000_000_000 + Math.floor(Math.random() * 1e9);
        const svc = (x: string) => `svc-on-${x}-${run}`;
        const before = incident(svc('a'), { openedAt: t0 - 1 });
        const first = incident(svc('b'), { openedAt: t0 });
        const mid = incident(svc('c'), { openedAt: t0 + 500 });
        const last = incident(svc('d'), { openedAt: t0 + 1000 });
        const after = incident(svc('e'), { openedAt: t0 + 1001 });
        for (const i of [before, first, mid, last, after]) await store.openOrGetIncident(i);
        await store.updateIncident({ ...mid, status: 'resolved', resolvedAt: t0 + 600 });
        const ids = async (q: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.id);
        const opened = { from: t0, to: t0 + 1000 };
        expect(await ids({ opened })).toEqual([last.id, mid.id, first.id]);
        expect(await ids({ opened, status: 'resolved' })).toEqual([mid.id]);
        expect(await ids({ opened, status: 'open', limit: 1 })).toEqual([last.id]);
        expect(await ids({ opened: { from: t0 + 1, to: t0 + 499 } })).toEqual([]);
      });

      test('timeline is oldest first, ties in insertion order; data is optional', async () => {
        const draft = incident(`svc-${uid()}`);
        await store.openOrGetIncident(draft);
        await store.appendTimeline(draft.id, { at: 3000, kind: 'escalated', text: 'high -> critical' });
        await store.appendTimeline(draft.id, {
          at: 1000,
          kind: 'opened',
          text: 'latency spike',
          data: { seriesKey: 'k', n: [1, 2] },
        });
        await store.appendTimeline(draft.id, { at: 3000, kind: 'note', text: 'second at 3000' });
        await store.appendTimeline(draft.id, { at: 2000, kind: 'anomaly', text: 'another' });
        expect(await store.timeline(draft.id)).toEqual([
          { at: 1000, kind: 'opened', text: 'latency spike', data: { seriesKey: 'k', n: [1, 2] } },
          { at: 2000, kind: 'anomaly', text: 'another' },
          { at: 3000, kind: 'escalated', text: 'high -> critical' },
          { at: 3000, kind: 'note', text: 'second at 3000' },
        ]);
        expect(await store.timeline(`missing-${uid()}`)).toEqual([]);
        await expect(
          store.appendTimeline(`missing-${uid()}`, { at: 1, kind: 'note', text: 'x' }),
        ).rejects.toMatchObject({ code: 'E_STORE_NOT_FOUND' });
      });
    });

    describe('deployments', () => {
      test('upsert replaces by id; get returns null when missing', async () => {
        const d = deployment(`svc-${uid()}`, 1000, { status: 'started', finishedAt: null });
        await store.upsertDeployment(d);
        expect(await store.getDeployment(d.id)).toEqual(d);
        const done = {
          ...d,
          status: 'succeeded' as const,
          finishedAt: 5000,
          version: null,
          actor: null,
          url: null,
          strategy: null,
        };
        await store.upsertDeployment(done);
        expect(await store.getDeployment(d.id)).toEqual(done);
        expect(await store.getDeployment(`missing-${uid()}`)).toBeNull();
      });

      test('list filters by service and [since, until), oldest first, with a limit', async () => {
        const svc = `svc-${uid()}`;
        const ds = [deployment(svc, 3000), deployment(svc, 1000), deployment(svc, 2000), deployment(svc, 4000)];
        for (const d of ds) await store.upsertDeployment(d);
        await store.upsertDeployment(deployment(`other-${uid()}`, 2500));
        const ts = async (q: Parameters<Store['listDeployments']>[0]) =>
          (await store.listDeployments(q)).map((d) => d.startedAt);
        expect(await ts({ service: svc })).toEqual([1000, 2000, 3000, 4000]);
        expect(await ts({ service: svc, since: 2000, until: 4000 })).toEqual([2000, 3000]);
        expect(await ts({ service: svc, since: 2000, limit: 1 })).toEqual([2000]);
        expect(await ts({ since: 2000, until: 3000 })).toEqual(expect.arrayContaining([2000, 2500]));
        expect((await store.listDeployments({ service: svc }))[0]).toEqual(ds[1]);
      });
    });

    describe('points', () => {
      test('insert keeps the first value per t, lists [from, to) ascending, prunes by age', async () => {
        const key = `series-${uid()}`;
        await store.insertPoints(key, [
          { t: 300, v: 3 },
          { t: 100, v: 1.5 },
          { t: 200, v: -2 },
        ]);
        await store.insertPoints(key, [
          { t: 200, v: 99 },
          { t: 400, v: 4 },
        ]);
        await store.insertPoints(`other-${uid()}`, [{ t: 250, v: 7 }]);
        expect(await store.listPoints(key, { from: 100, to: 400 })).toEqual([
          { t: 100, v: 1.5 },
          { t: 200, v: -2 },
          { t: 300, v: 3 },
        ]);
        expect(await store.prunePoints(201)).toBeGreaterThanOrEqual(2);
        expect(await store.listPoints(key, { from: 0, to: 1000 })).toEqual([
          { t: 300, v: 3 },
          { t: 400, v: 4 },
        ]);
      });

      test('a batch larger than one statement chunk is stored whole', async () => {
        const key = `series-${uid()}`;
        const points = Array.from({ length: 12_000 }, (_, i) => ({ t: 1_000_000 + i, v: i / 2 }));
        await store.insertPoints(key, points);
        const back = await store.listPoints(key, { from: 0, to: 2_000_000 });
        expect(back).toHaveLength(12_000);
        expect(back[11_999]).toEqual({ t: 1_011_999, v: 5999.5 });
      });

      test('insertPointsMany stores many series, beyond one chunk, keeping first values', async () => {
        const [a, b] = [`series-${uid()}`, `series-${uid()}`];
        await store.insertPoints(a, [{ t: 5, v: 50 }]);
        const many = Array.from({ length: 25_000 }, (_, i) => ({ t: 1_000_000 + i, v: i }));
        await store.insertPointsMany([
          {
            seriesKey: a,
            points: [
              { t: 5, v: -1 },
              { t: 6, v: 60 },
            ],
          },
          { seriesKey: b, points: many },
          { seriesKey: a, points: [] },
        ]);
        await store.insertPointsMany([]);
        expect(await store.listPoints(a, { from: 0, to: 100 })).toEqual([
          { t: 5, v: 50 },
          { t: 6, v: 60 },
        ]);
        expect(await store.listPoints(b, { from: 0, to: 2_000_000 })).toHaveLength(25_000);
      });

      test('recordFetched registers the series and stores their points, beyond one chunk too', async () => {
        const svc = `svc-${uid()}`;
        const a = { key: `k-${uid()}`, source: 'replay', metric: 'cpu', service: svc, labels: { service: svc } };
        const b = { key: `k-${uid()}`, source: 'replay', metric: 'mem', service: svc, labels: {} };
        await store.insertPoints(a.key, [{ t: 5, v: 50 }]);
        const many = Array.from({ length: 25_000 }, (_, i) => ({ t: 1_000_000 + i, v: i }));
        await store.recordFetched(
          [b, a],
          [
            {
              seriesKey: a.key,
              points: [
                { t: 5, v: -1 },
                { t: 6, v: 60 },
              ],
            },
            { seriesKey: b.key, points: many },
          ],
        );
        expect(await store.listSeries({ service: svc })).toEqual([a, b].sort((x, y) => x.key.localeCompare(y.key)));
        expect(await store.listPoints(a.key, { from: 0, to: 100 })).toEqual([
          { t: 5, v: 50 },
          { t: 6, v: 60 },
        ]);
        expect(await store.listPoints(b.key, { from: 0, to: 2_000_000 })).toHaveLength(25_000);

        // A series whose mapping changed is updated; no series at all still stores the points.
        const moved = { ...a, service: `other-${uid()}` };
        await store.recordFetched([moved], [{ seriesKey: a.key, points: [{ t: 7, v: 70 }] }]);
        expect(await store.getSeries(a.key)).toEqual(moved);
        await store.recordFetched([], [{ seriesKey: a.key, points: [{ t: 8, v: 80 }] }]);
        await store.recordFetched([], []);
        expect((await store.listPoints(a.key, { from: 0, to: 100 })).map((p) => p.t)).toEqual([5, 6, 7, 8]);
      });
    });

    describe('verdicts', () => {
      test('save replaces by deployment, get and list newest first per service', async () => {
        const svc = `svc-${uid()}`;
        const v = (id: string, decidedAt: number, outcome: 'pass' | 'fail') => ({
          deploymentId: id,
          service: svc,
          outcome,
          decidedAt,
          summary: `${outcome}: test`,
          shifts: [
            {
              seriesKey: 'k',
              metric: 'latency',
              beforeMedian: 1,
              afterMedian: 2.5,
              beforeCount: 30,
              afterCount: 30,
              pValue: 0.001,
              effect: 0.9,
              moved: true,
              worse: true,
            },
          ],
        });
        const a = `dep-${uid()}`;
        const b = `dep-${uid()}`;
        await store.saveVerdict(v(a, 1000, 'pass'));
        await store.saveVerdict(v(b, 2000, 'pass'));
        await store.saveVerdict(v(a, 3000, 'fail'));
        expect(await store.getVerdict(a)).toEqual(v(a, 3000, 'fail'));
        expect(await store.getVerdict(`missing-${uid()}`)).toBeNull();
        expect((await store.listVerdicts({ service: svc })).map((x) => x.deploymentId)).toEqual([a, b]);
        expect(await store.listVerdicts({ service: svc, limit: 1 })).toHaveLength(1);
      });

      test('unjudgedServices: the services with a deploy started in [since, until) and no verdict yet', async () => {
        const [judged, waiting, later, none] = [1, 2, 3, 4].map(() => `svc-${uid()}`) as [
          string,
          string,
          string,
          string,
        ];
        const d = (svc: string, at: number) => deployment(svc, at);
        const done = d(judged, 1000);
        await store.upsertDeployment(done);
        await store.upsertDeployment(d(waiting, 1000));
        await store.upsertDeployment(d(waiting, 2000));
        await store.upsertDeployment(d(later, 5000));
        await store.saveVerdict({
          deploymentId: done.id,
          service: judged,
          outcome: 'pass',
          decidedAt: 1,
          summary: 'ok',
          shifts: [],
        });
        const all = [judged, waiting, later, none, waiting];
        expect(await store.unjudgedServices(all, 0, 5000)).toEqual(new Set([waiting]));
        expect(await store.unjudgedServices(all, 1000, 5001)).toEqual(new Set([waiting, later]));
        expect(await store.unjudgedServices(all, 1001, 2000)).toEqual(new Set());
        expect(await store.unjudgedServices([], 0, 10_000)).toEqual(new Set());
      });
    });

    describe('cursors', () => {
      test('start empty, move forward only, list per source', async () => {
        const src = `src-${uid()}`;
        expect(await store.getCursor(src, 'b')).toBeNull();
        await store.setCursor(src, 'b', 5000);
        await store.setCursor(src, 'b', 4000);
        expect(await store.getCursor(src, 'b')).toBe(5000);
        await store.setCursor(src, 'b', 1_700_000_000_000);
        expect(await store.getCursor(src, 'b')).toBe(1_700_000_000_000);
        await store.setCursor(src, 'a', 10);
        await store.setCursor(`other-${uid()}`, 'c', 99);
        expect(await store.listCursors(src)).toEqual([
          { seriesKey: 'a', t: 10 },
          { seriesKey: 'b', t: 1_700_000_000_000 },
        ]);
      });

      test('setCursors moves a batch forward only, a repeated key to its largest time', async () => {
        const src = `src-${uid()}`;
        await store.setCursor(src, 'a', 100);
        await store.setCursors(src, [
          { seriesKey: 'a', t: 50 },
          { seriesKey: 'b', t: 7 },
          { seriesKey: 'b', t: 9 },
          { seriesKey: 'c', t: 3 },
        ]);
        await store.setCursors(src, []);
        expect(await store.listCursors(src)).toEqual([
          { seriesKey: 'a', t: 100 },
          { seriesKey: 'b', t: 9 },
          { seriesKey: 'c', t: 3 },
        ]);
      });
    });

    describe('pushed points', () => {
      const ref = (metric: string) => ({
        key: `push:${metric}-${uid()}`,
        source: 'push',
        metric,
        service: 'api',
        labels: { region: 'eu' },
      });
      const pending = async (key: string) =>
        (await store.listPendingPushedPoints({ maxPoints: 1_000_000 })).series.find((s) => s.ref.key === key)?.points ??
        [];

      test('queues new points, ignores re-sent ones (first value wins) and serves them by series and time', async () => {
        const a = ref('latency');
        const b = ref('errors');
        expect(
          await store.insertPushedPoints([
            {
              ref: a,
              points: [
                { t: 1000, v: 1 },
                { t: 2000, v: 2 },
                { t: 3000, v: 3 },
              ],
            },
            { ref: b, points: [{ t: 2000, v: 0.5 }] },
          ]),
        ).toEqual({ accepted: 4, duplicates: 0 });
        expect(
          await store.insertPushedPoints([
            {
              ref: a,
              points: [
                { t: 2000, v: 20 },
                { t: 4000, v: 4 },
              ],
            },
          ]),
        ).toEqual({ accepted: 1, duplicates: 1 });
        expect(await pending(a.key)).toEqual([
          { t: 1000, v: 1 },
          { t: 2000, v: 2 },
          { t: 3000, v: 3 },
          { t: 4000, v: 4 },
        ]);
        expect(await pending(b.key)).toEqual([{ t: 2000, v: 0.5 }]);
        expect(
          (await store.listPendingPushedPoints({ maxPoints: 1_000_000 })).series.find((s) => s.ref.key === a.key)?.ref,
        ).toEqual(a);
        expect((await store.listPendingPushedPoints({ maxPoints: 1 })).series.flatMap((s) => s.points)).toHaveLength(1);
      });

      test('a scored point leaves the queue; re-sending it is a duplicate; a point older than the newest accepted is refused whole', async () => {
        const a = ref('queue');
        const other = ref('other');
        await store.insertPushedPoints([
          {
            ref: a,
            points: [
              { t: 1000, v: 1 },
              { t: 2000, v: 2 },
              { t: 3000, v: 3 },
            ],
          },
        ]);
        await store.insertPoints(a.key, [
          { t: 1000, v: 1 },
          { t: 2000, v: 2 },
        ]);
        await store.setCursor('push', a.key, 2000);
        expect(await pending(a.key)).toEqual([{ t: 3000, v: 3 }]);
        expect(
          await store.insertPushedPoints([
            {
              ref: a,
              points: [
                { t: 1000, v: 1 },
                { t: 2000, v: 2 },
                { t: 5000, v: 5 },
              ],
            },
          ]),
        ).toEqual({ accepted: 1, duplicates: 2 });
        const late = store.insertPushedPoints([
          { ref: other, points: [{ t: 9000, v: 9 }] },
          { ref: a, points: [{ t: 4000, v: 4 }] },
        ]);
        await expect(late).rejects.toMatchObject({ code: 'E_PUSH_LATE' });
        await expect(late).rejects.toThrow(/older than the newest point already accepted/);
        expect(await pending(other.key)).toEqual([]);
        expect(await pending(a.key)).toEqual([
          { t: 3000, v: 3 },
          { t: 5000, v: 5 },
        ]);
      });

      test('shards split the pending series into disjoint parts, a service whole, pinned services where pinned', async () => {
        const run = uid();
        const refs = Array.from({ length: 12 }, (_, i) => ({
          key: `push:m${i}-${run}`,
          source: 'push',
          metric: `m${i % 3}`,
          service: `svc${Math.floor(i / 3)}-${run}`,
          labels: {},
        }));
        await store.insertPushedPoints(refs.map((r) => ({ ref: r, points: [{ t: 1000, v: 1 }] })));
        const mine = (all: Awaited<ReturnType<Store['listPendingPushedPoints']>>) =>
          all.series.filter((x) => x.ref.key.endsWith(run));
        const whole = mine(await store.listPendingPushedPoints({ maxPoints: 1_000_000 }))
          .map((x) => x.ref.key)
          .sort();
        const pinned = { [`svc0-${run}`]: 2, [`svc1-${run}`]: 2 };
        const parts = await Promise.all(
          [0, 1, 2].map(async (index) =>
            mine(await store.listPendingPushedPoints({ maxPoints: 1_000_000, shard: { index, count: 3, pinned } })),
          ),
        );
        // Every series is in exactly one part, and a part holds whole services.
        expect(
          parts
            .flat()
            .map((x) => x.ref.key)
            .sort(),
        ).toEqual(whole);
        const partOf = new Map(parts.flatMap((p, i) => p.map((x) => [x.ref.service, i] as const)));
        for (const [i, p] of parts.entries()) for (const x of p) expect(partOf.get(x.ref.service)).toBe(i);
        expect(partOf.get(`svc0-${run}`)).toBe(2);
        expect(partOf.get(`svc1-${run}`)).toBe(2);
        // A part drops its series' scored points as the whole queue does.
        const [first] = refs;
        await store.setCursor('push', first!.key, 1000);
        expect(
          await store
            .listPendingPushedPoints({
              maxPoints: 1_000_000,
              shard: { index: partOf.get(first!.service)!, count: 3, pinned },
            })
            .then((all) => all.series.some((x) => x.ref.key === first!.key)),
        ).toBe(false);
      });

      test('served a page at a time: whole services, the longest waiting first, at most maxSeries series', async () => {
        const run = uid();
        // Services by their oldest pending point: c, a, e, b, d (not their names' order); 2, 3, 1, 2, 2 series.
        const plan = { a: [200, 3], b: [400, 2], c: [100, 2], d: [500, 2], e: [300, 1] } as const;
        const refs = Object.entries(plan).flatMap(([svc, [oldest, n]]) =>
          Array.from({ length: n }, (_, i) => ({
            ref: {
              key: `push:pg${i}-${svc}-${run}`,
              source: 'push',
              metric: `pg${i}`,
              service: `${svc}-${run}`,
              labels: {},
            },
            points: [
              { t: oldest + i, v: 1 },
              { t: 10_000 + i, v: 2 },
            ],
          })),
        );
        await store.insertPushedPoints(refs);
        const cut = await store.listPendingPushedPoints({ maxPoints: 3, maxSeries: 4 });
        expect(cut.series.flatMap((x) => x.points)).toHaveLength(3);
        expect(cut.more).toBe(true);
        // Page through the whole queue (other tests' rows included), marking each page scored as a pull does.
        const pages: Array<Array<{ service: string; points: number }>> = [];
        for (let i = 0; i < 500; i++) {
          const page = await store.listPendingPushedPoints({ maxPoints: 1_000_000, maxSeries: 4 });
          if (i === 0) expect(page.pendingSeries).toBeGreaterThanOrEqual(10);
          const services = new Set(page.series.map((x) => x.ref.service));
          expect(page.series.length <= 4 || services.size === 1).toBe(true);
          pages.push(
            page.series
              .filter((x) => x.ref.key.endsWith(run))
              .map((x) => ({ service: x.ref.service, points: x.points.length })),
          );
          for (const x of page.series) await store.setCursor('push', x.ref.key, x.points.at(-1)!.t);
          if (!page.more) break;
        }
        expect((await store.listPendingPushedPoints({ maxPoints: 1_000_000 })).series).toEqual([]);
        // Each of these services in one page, in the order of their oldest points, every point of it served.
        const order = pages.flatMap((p) => [...new Set(p.map((x) => x.service))]);
        expect(order).toEqual(['c', 'a', 'e', 'b', 'd'].map((svc) => `${svc}-${run}`));
        expect(pages.flat().reduce((n, x) => n + x.points, 0)).toBe(20);
      });

      test('a request of many series: each series judged on its own, a key given twice judged in request order', async () => {
        const run = uid();
        const many = Array.from({ length: 300 }, (_, i) => ({
          key: `push:bulk${i}-${run}`,
          source: 'push',
          metric: `bulk${i}`,
          service: `svc${i % 7}-${run}`,
          labels: { i: String(i) },
        }));
        const [first, second] = many as [(typeof many)[0], (typeof many)[0]];
        await store.insertPushedPoints([
          {
            ref: first,
            points: [
              { t: 1000, v: 1 },
              { t: 2000, v: 2 },
            ],
          },
        ]);
        await store.insertPoints(first.key, [{ t: 1000, v: 1 }]);
        await store.setCursor('push', first.key, 1000);
        expect(
          await store.insertPushedPoints([
            ...many.map((r) => ({ ref: r, points: [{ t: 3000, v: 3 }] })),
            {
              ref: first,
              points: [
                { t: 1000, v: 10 },
                { t: 2000, v: 20 },
              ],
            }, // scored, and pending: both re-sent
            {
              ref: second,
              points: [
                { t: 3000, v: 30 },
                { t: 4000, v: 4 },
              ],
            }, // its first entry's point, then a new one
          ]),
        ).toEqual({ accepted: 301, duplicates: 3 });
        expect(await pending(first.key)).toEqual([
          { t: 2000, v: 2 },
          { t: 3000, v: 3 },
        ]);
        expect(await pending(second.key)).toEqual([
          { t: 3000, v: 3 },
          { t: 4000, v: 4 },
        ]);
        expect(await pending(many[299]!.key)).toEqual([{ t: 3000, v: 3 }]);
        expect(await store.getSeries(many[150]!.key)).toEqual(many[150]);
      });

      test('a late point anywhere in a request of many series stores nothing and names its series', async () => {
        const run = uid();
        const many = Array.from({ length: 200 }, (_, i) => ({
          key: `push:late${i}-${run}`,
          source: 'push',
          metric: `late${i}`,
          service: `svc-${run}`,
          labels: {},
        }));
        const last = many[199]!;
        await store.insertPushedPoints([{ ref: last, points: [{ t: 5000, v: 5 }] }]);
        const late = store.insertPushedPoints([
          ...many.map((r) => ({ ref: r, points: [{ t: 6000, v: 6 }] })),
          { ref: many[3]!, points: [{ t: 5500, v: 1 }] }, // before this request's own point of that series
        ]);
        await expect(late).rejects.toMatchObject({
          code: 'E_PUSH_LATE',
          message: expect.stringContaining(`late3{service="svc-${run}"}`),
        });
        expect(await pending(last.key)).toEqual([{ t: 5000, v: 5 }]);
        expect(await pending(many[0]!.key)).toEqual([]);
        expect(
          await store
            .insertPushedPoints([{ ref: last, points: [{ t: 4000, v: 4 }] }])
            .catch((e: { code: string }) => e.code),
        ).toBe('E_PUSH_LATE');
      });

      test('a failing request stores nothing', async () => {
        const a = ref('cpu');
        await expect(
          store.insertPushedPoints([
            { ref: a, points: [{ t: 1000, v: 1 }] },
            { ref: ref('bad'), points: [{ t: 1000, v: 'not a number' as unknown as number }] },
          ]),
        ).rejects.toThrow();
        expect(await pending(a.key)).toEqual([]);
      });
    });

    describe('audit log', () => {
      test('newest first, since and limit, params round-trip', async () => {
        // Far from other tests' times: the log is shared and has no other filter.
        const base = 4_000_000_000_000 + Math.floor(Math.random() * 1e9);
        await store.appendAudit(audit(base + 1, { action: 'first' }));
        await store.appendAudit(audit(base + 3, { action: 'third', result: 'refused', detail: 'not approved' }));
        await store.appendAudit(audit(base + 2, { action: 'second' }));
        await store.appendAudit(audit(base + 3, { action: 'third-later' }));
        const actions = async (q: Parameters<Store['listAudit']>[0]) => (await store.listAudit(q)).map((e) => e.action);
        expect(await actions({ since: base })).toEqual(['third-later', 'third', 'second', 'first']);
        expect(await actions({ since: base + 2, limit: 2 })).toEqual(['third-later', 'third']);
        const [third] = await store.listAudit({ since: base + 3, limit: 2 }).then((r) => r.slice(1));
        expect(third).toEqual(audit(base + 3, { action: 'third', result: 'refused', detail: 'not approved' }));
        expect((await store.listAudit({ limit: 1 })).length).toBe(1);
      });
    });

    if (opts.persistent) {
      // Last in the block: it swaps the shared store for a reopened one.
      test('data survives close and reopen', async () => {
        const svc = `svc-${uid()}`;
        const key = `k-${uid()}`;
        const inc = incident(svc);
        await store.upsertSeries({ key, source: 'prom', metric: 'cpu', service: svc, labels: { a: 'b' } });
        await store.saveDetectorState(key, { state: { n: 1, deep: { x: [1] } }, lastT: 42 });
        await store.insertAnomalies([anomaly(key, 1000, { service: svc })]);
        await store.openOrGetIncident(inc);
        await store.appendTimeline(inc.id, { at: 1, kind: 'opened', text: 'o' });
        await store.setCursor('src', key, 777);
        await store.close();

        store = await makeStore();
        expect(await store.getSeries(key)).toMatchObject({ service: svc });
        expect(await store.loadDetectorState(key)).toEqual({ state: { n: 1, deep: { x: [1] } }, lastT: 42 });
        expect(await store.listAnomalies({ seriesKey: key })).toHaveLength(1);
        expect(await store.insertAnomalies([anomaly(key, 1000, { service: svc })])).toEqual([]);
        expect(await store.openOrGetIncident(incident(svc))).toEqual({ incident: inc, created: false });
        expect(await store.timeline(inc.id)).toHaveLength(1);
        expect(await store.getCursor('src', key)).toBe(777);
      });
    }
  });
}
