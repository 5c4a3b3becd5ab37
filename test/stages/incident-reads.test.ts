import { incidentReadsOnce } from '../../src/stages/incident-reads.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { failingOnce } from '../support/failing-store.js';
import { incident, uid } from '../store/fixtures.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

/** `store`, counting the listIncidents calls that reach it. */
function counting(s: Store): { store: Store; reads: () => number } {
  let n = 0;
  return {
    store: { ...s, listIncidents: (q) => (n++, s.listIncidents(q)) },
    reads: () => n,
  };
}

describe('incidentReadsOnce (stages/incident-reads)', () => {
  it('answers a repeated query without reading again, each time with an equal copy of its own', async () => {
    const svc = `svc-${uid()}`;
    await store.openOrGetIncident(incident(svc));
    const c = counting(store);
    const view = incidentReadsOnce(c.store);
    const q = { service: svc, status: 'open' as const, limit: 1 };
    const first = await view.listIncidents(q);
    const again = await view.listIncidents({ ...q });
    expect(again).toEqual(first);
    expect(again[0]).not.toBe(first[0]);
    expect(c.reads()).toBe(1);
    // Another query is read on its own.
    expect(await view.listIncidents({ service: svc, status: 'resolved', limit: 1 })).toEqual([]);
    expect(c.reads()).toBe(2);
    // Changing an answer changes neither the store nor the next answer.
    (first[0]!.seriesKeys as string[]).push('changed');
    expect(await view.listIncidents(q)).toEqual(await store.listIncidents(q));
  });

  it('reads again after a write through it, and sees what was written', async () => {
    const svc = `svc-${uid()}`;
    const { incident: open } = await store.openOrGetIncident(incident(svc));
    const c = counting(store);
    const view = incidentReadsOnce(c.store);
    const q = { service: svc, status: 'open' as const };
    expect(await view.listIncidents(q)).toHaveLength(1);
    await view.updateIncident({ ...open, status: 'resolved', resolvedAt: open.lastAnomalyAt + 1 });
    expect(await view.listIncidents(q)).toEqual([]);
    await view.appendTimeline(open.id, { at: 1, kind: 'note', text: 'x' });
    expect(await view.listIncidents(q)).toEqual([]);
    expect(c.reads()).toBe(3);
    const { incident: next, created } = await view.openOrGetIncident(incident(svc, { openedAt: 1_800_000_000_000 }));
    expect(created).toBe(true);
    expect((await view.listIncidents(q)).map((i) => i.id)).toEqual([next.id]);
  });

  it('keeps no failed read: the next asks the store again', async () => {
    const svc = `svc-${uid()}`;
    await store.openOrGetIncident(incident(svc));
    const view = incidentReadsOnce(failingOnce(store, 'listIncidents'));
    await expect(view.listIncidents({ service: svc })).rejects.toThrow('connection terminated');
    expect(await view.listIncidents({ service: svc })).toHaveLength(1);
  });
});
