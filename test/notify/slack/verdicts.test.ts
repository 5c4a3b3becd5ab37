/**
 * Deploy verdicts in their place, over real HTTP against the loopback fake
 * Web API with the embedded store: a failed verdict in its incident's
 * thread (else the channel), pass and marginal in one hourly digest (or
 * each in the channel, or none), and storm mode counting verdicts.
 */
import type { Deployment, DeployVerdict, VerdictOutcome } from '../../../src/domain/index.js';
import type { Notifier } from '../../../src/notify/index.js';
import { createRouter, createSlackClient, createSlackNotifier } from '../../../src/notify/slack/index.js';
import type { VerdictRoute } from '../../../src/notify/slack/verdicts.js';
import { silentLogger } from '../../../src/observability/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { deploy, event } from './events.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

let store: Store;
let slack: FakeSlack;
beforeAll(async () => {
  [store, slack] = await Promise.all([openStore({ dataDir: 'memory://' }), startFakeSlack()]);
});
afterAll(async () => {
  await Promise.all([store?.close(), slack?.close()]);
});
beforeEach(() => {
  slack.calls.length = 0;
});

const T0 = Date.UTC(2026, 0, 5, 10);
let n = 0;
function notifier(
  over: { verdicts?: VerdictRoute; stormPerMinute?: number; now?: () => number } = {},
): Notifier & Required<Pick<Notifier, 'sendVerdict'>> {
  const s = createSlackNotifier({
    client: createSlackClient({ token: 'xoxb-test', apiUrl: slack.apiUrl }),
    store,
    log: silentLogger(),
    stormPerMinute: over.stormPerMinute ?? 100,
    now: over.now ?? (() => T0),
    route: createRouter([], '#alerts'),
    ...(over.verdicts ? { verdicts: over.verdicts } : {}),
  });
  return s as Notifier & Required<Pick<Notifier, 'sendVerdict'>>;
}
/** A deploy of a fresh service and its verdict. */
function verdictOf(outcome: VerdictOutcome): { verdict: DeployVerdict; deployment: Deployment } {
  const deployment = { ...deploy, id: `dep-v${++n}`, service: `svc-${n}` };
  return {
    deployment,
    verdict: {
      deploymentId: deployment.id,
      service: deployment.service,
      outcome,
      decidedAt: T0,
      shifts: [],
      summary: `${outcome}: latency_p95_ms rose 43% (p=0.001)`,
    },
  };
}
const topLevel = () => slack.callsOf('chat.postMessage').filter((c) => !c.args.thread_ts);

test('a failed verdict goes into the thread of the incident its deploy caused, not the channel', async () => {
  const v = verdictOf('fail');
  const i = event(
    {},
    {
      id: `inc-v${n}`,
      service: v.deployment.service,
      suspect: { deploymentId: v.deployment.id, confidence: 0.8, reason: 'deployed 2 min before onset' },
    },
  ).incident;
  await store.openOrGetIncident(i);
  const slackN = notifier();
  await slackN.send(event({}, i));
  const ts = slack.messages.get('C_ALERTS')?.find((m) => m.metadata?.event_payload.incident_id === i.id)?.ts;
  expect(ts).toBeDefined();
  slack.calls.length = 0;
  expect(await slackN.sendVerdict(v)).toMatchObject({ ok: true });
  const posts = slack.callsOf('chat.postMessage');
  expect(posts).toHaveLength(1);
  expect(posts[0]?.args).toMatchObject({ channel: 'C_ALERTS', thread_ts: ts });
  expect(String(posts[0]?.args.text)).toContain('Deploy verdict: fail');
});

test('a failed verdict goes into the thread of an incident of its service opened since the deploy, before attribution names it', async () => {
  const v = verdictOf('fail');
  const i = event(
    {},
    { id: `inc-v${n}`, service: v.deployment.service, suspect: null, openedAt: v.deployment.startedAt + 240_000 },
  ).incident;
  await store.openOrGetIncident(i);
  const slackN = notifier();
  await slackN.send(event({}, i));
  const ts = slack.messages.get('C_ALERTS')?.find((m) => m.metadata?.event_payload.incident_id === i.id)?.ts;
  slack.calls.length = 0;
  await slackN.sendVerdict(v);
  expect(slack.callsOf('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([ts]);
});

test('a failed verdict arriving while its incident is being posted waits for the post and lands in its thread', async () => {
  const v = verdictOf('fail');
  const i = event(
    {},
    {
      id: `inc-v${n}`,
      service: v.deployment.service,
      suspect: { deploymentId: v.deployment.id, confidence: 0.8, reason: 'r' },
    },
  ).incident;
  await store.openOrGetIncident(i);
  const slackN = notifier();
  await Promise.all([slackN.send(event({}, i)), slackN.sendVerdict(v)]);
  const ts = slack.messages.get('C_ALERTS')?.find((m) => m.metadata?.event_payload.incident_id === i.id)?.ts;
  const verdicts = slack.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes('Deploy verdict'));
  expect(verdicts.map((c) => c.args.thread_ts)).toEqual([ts]);
});

test('a failed verdict with no incident is posted in the channel', async () => {
  await notifier().sendVerdict(verdictOf('fail'));
  expect(topLevel().map((c) => [c.args.channel, String(c.args.text).split(' — ')[0]])).toEqual([
    ['#alerts', '🔴 Deploy verdict: fail'],
  ]);
});

test('default: pass and marginal verdicts share one digest message per hour, edited as they come', async () => {
  let now = T0;
  const slackN = notifier({ now: () => now });
  const [a, b, c] = [verdictOf('pass'), verdictOf('marginal'), verdictOf('pass')];
  await slackN.sendVerdict(a);
  await slackN.sendVerdict(b);
  expect(topLevel()).toHaveLength(1);
  expect(String(topLevel()[0]?.args.text)).toContain('*Deploy verdicts* since 2026-01-05 10:00 UTC (1)');
  const updates = slack.callsOf('chat.update');
  expect(updates).toHaveLength(1);
  expect(String(updates[0]?.args.text)).toMatch(/\(2\)[\s\S]*svc-\d+ v42 pass[\s\S]*marginal/);
  now += 3_600_000;
  await slackN.sendVerdict(c);
  expect(topLevel()).toHaveLength(2);
});

test('notify.slack.verdicts: channel posts each; off posts none (a failed one still goes out)', async () => {
  await notifier({ verdicts: 'channel' }).sendVerdict(verdictOf('pass'));
  expect(topLevel().map((c) => String(c.args.text).split(' — ')[0])).toEqual(['✅ Deploy verdict: pass']);
  slack.calls.length = 0;
  const off = notifier({ verdicts: 'off' });
  expect(await off.sendVerdict(verdictOf('marginal'))).toEqual({ ok: true, ref: null });
  expect(slack.calls).toHaveLength(0);
  await off.sendVerdict(verdictOf('fail'));
  expect(topLevel()).toHaveLength(1);
});

test('storm mode counts verdicts: beyond the limit a verdict becomes a line of the storm summary', async () => {
  const slackN = notifier({ stormPerMinute: 2, verdicts: 'channel' });
  await slackN.send(event({}, { id: `inc-storm-${++n}`, service: 'storm-a' }));
  await slackN.sendVerdict(verdictOf('pass'));
  const v = verdictOf('fail');
  await slackN.sendVerdict(v);
  const posts = topLevel();
  expect(posts).toHaveLength(3);
  expect(String(posts[2]?.args.text)).toMatch(new RegExp(`Incident storm[\\s\\S]*${v.deployment.service} v42 fail`));
});
