/**
 * Incident operations over the embedded store: each says what happened
 * (missing, already, done) and writes its rows and timeline entry once.
 * The Slack wording of the same operations is covered by
 * test/notify/slack/replies.test.ts and bot.test.ts.
 */
import {
  acknowledge,
  markNotAnomaly,
  resolveIncident,
  revokeFeedback,
  silence,
  unsilence,
  type OperationContext,
} from '../../src/incidents/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { incident } from '../notify/slack/events.js';

const NOW = Date.UTC(2026, 0, 5, 11);
const ann = { id: 'U1', who: '<@U1>' };
let store: Store;
let c: OperationContext;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  c = { store, now: () => NOW };
});
afterAll(async () => {
  await store?.close();
});

test('resolve: missing, done as of now (never before the last anomaly) with the reason in the timeline, then already', async () => {
  expect(await resolveIncident(c, 'inc_nope', 'why')).toEqual({ status: 'missing' });
  const { incident: inc } = await store.openOrGetIncident(incident({ id: 'inc_resolve' }));
  const done = await resolveIncident(c, inc.id, 'resolved after verified recovery: rollback');
  expect(done).toMatchObject({ status: 'done', incident: { status: 'resolved', resolvedAt: NOW } });
  expect(await store.getIncident(inc.id)).toMatchObject({ status: 'resolved', resolvedAt: NOW });
  expect((await store.timeline(inc.id)).filter((e) => e.kind === 'resolved').map((e) => e.text)).toEqual([
    'resolved after verified recovery: rollback',
  ]);
  expect((await resolveIncident(c, inc.id, 'again')).status).toBe('already');
  const late = await store.openOrGetIncident(incident({ id: 'inc_late', lastAnomalyAt: NOW + 60_000 }));
  expect(await resolveIncident(c, late.incident.id, 'why')).toMatchObject({
    status: 'done',
    incident: { resolvedAt: NOW + 60_000 },
  });
});

test('acknowledge once; silence and lift it; not an anomaly once, revoked once', async () => {
  const { incident: inc } = await store.openOrGetIncident(incident({ id: 'inc_ops' }));
  expect(await acknowledge(c, inc.id, ann)).toMatchObject({
    status: 'done',
    incident: { acknowledged: { by: 'U1', at: NOW } },
  });
  expect((await acknowledge(c, inc.id, { id: 'U2', who: '<@U2>' })).status).toBe('already');
  const s = await silence(c, { kind: 'service', value: 'checkout' }, 3_600_000, null, ann, inc.id);
  expect(s).toMatchObject({ until: NOW + 3_600_000, createdBy: 'U1' });
  expect(await unsilence(c, s.id)).toBe(true);
  expect(await unsilence(c, s.id)).toBe(false);
  const fb = await markNotAnomaly(c, inc.id, ann);
  expect(fb).toMatchObject({
    status: 'done',
    feedback: { seriesKey: inc.headline.seriesKey, kind: 'level_shift', incidentId: inc.id },
  });
  expect((await markNotAnomaly(c, inc.id, ann)).status).toBe('already');
  const id = fb.status === 'done' ? fb.feedback.id : '';
  expect((await revokeFeedback(c, id, ann)).status).toBe('done');
  expect((await revokeFeedback(c, id, ann)).status).toBe('already');
  expect((await revokeFeedback(c, 'fb_nope', ann)).status).toBe('missing');
  expect((await store.timeline(inc.id)).map((e) => e.text)).toEqual(
    expect.arrayContaining([
      'acknowledged by <@U1>',
      'service checkout silenced for 1h by <@U1>',
      `"not an anomaly" taken back by <@U1> (feedback ${id})`,
    ]),
  );
});
