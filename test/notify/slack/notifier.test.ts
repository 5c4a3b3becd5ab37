/**
 * The Slack notifier over real HTTP against the loopback fake Web API, with
 * the embedded store: one post per incident then edits, thread replies,
 * chart upload, restart, 429, lost responses, storm mode, routing.
 */
import { silentLogger } from '../../../src/observability/index.js';
import { createRouter, createSlackClient, createSlackNotifier } from '../../../src/notify/slack/index.js';
import type { Notifier, NotifyEvent } from '../../../src/notify/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { event } from './events.js';
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

let n = 0;
const T0 = Date.UTC(2026, 0, 5, 10);
function notifier(over: { stormPerMinute?: number; now?: () => number } = {}): Notifier {
  return createSlackNotifier({
    client: createSlackClient({ token: 'xoxb-test', apiUrl: slack.apiUrl }),
    store,
    log: silentLogger(),
    stormPerMinute: over.stormPerMinute ?? 100,
    now: over.now ?? (() => T0),
    route: createRouter([{ service: 'pay*', minSeverity: 'high', channel: '#payments' }], '#alerts'),
  });
}
/** An event for a fresh incident id. */
function fresh(over: Partial<NotifyEvent> = {}, inc: Parameters<typeof event>[1] = {}): NotifyEvent {
  return event(over, { id: `inc_${++n}`, ...inc });
}

test('the first event posts with metadata, the chart goes into its thread, later events edit it and reply the timeline', async () => {
  const chart = {
    title: 'checkout · latency_p99',
    points: [
      { t: T0, v: 1 },
      { t: T0 + 60_000, v: 5 },
    ],
    anomalies: [{ t: T0 + 60_000, v: 5 }],
  };
  const e = fresh({ chart });
  const slackN = notifier();
  expect(await slackN.send(e)).toEqual({ ok: true, ref: expect.stringMatching(/^C_ALERTS\/1767700000\.\d+$/) });
  const [post] = slack.callsOf('chat.postMessage');
  expect(post?.args).toMatchObject({
    channel: '#alerts',
    metadata: { event_type: 'vigil_incident', event_payload: { incident_id: e.incident.id } },
  });
  expect(JSON.stringify(post?.args.blocks)).toContain('latency_p99 level shift: 900 vs expected 120');
  const ts = slack.messages.get('C_ALERTS')?.find((m) => m.metadata?.event_payload.incident_id === e.incident.id)?.ts;
  expect(slack.callsOf('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: `${e.incident.id}.png` });
  expect(slack.callsOf('files.completeUploadExternal')[0]?.args).toEqual(
    expect.objectContaining({
      channel_id: 'C_ALERTS',
      thread_ts: ts,
      files: [{ id: expect.any(String), title: chart.title }],
    }),
  );
  expect(slack.uploads.at(-1)?.bytes).toBeGreaterThan(1000);

  const timeline = [
    { at: T0, kind: 'opened' as const, text: 'opened' },
    { at: T0 + 60_000, kind: 'escalated' as const, text: 'severity high -> critical' },
  ];
  await slackN.send({ ...e, kind: 'updated', timeline, incident: { ...e.incident, severity: 'critical' } });
  // The same rendering again (e.g. a run's progress events) edits nothing.
  await slackN.send({ ...e, kind: 'updated', timeline, incident: { ...e.incident, severity: 'critical' } });
  await slackN.send({ ...e, kind: 'updated', timeline, incident: { ...e.incident, severity: 'critical' } });
  expect(slack.callsOf('chat.update').map((c) => [c.args.channel, c.args.ts])).toEqual([['C_ALERTS', ts]]);
  const replies = slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts);
  expect(replies.map((c) => c.args.text)).toEqual(['2026-01-05 10:01 UTC · escalated: severity high -> critical']);
});

test('a new notifier instance on the same store (a restart) keeps editing the same message', async () => {
  const e = fresh();
  await notifier().send(e);
  const [first] = slack.callsOf('chat.postMessage');
  await notifier().send({
    ...e,
    kind: 'resolved',
    incident: { ...e.incident, status: 'resolved', resolvedAt: T0 + 900_000 },
  });
  expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  const [update] = slack.callsOf('chat.update');
  expect(update?.args.ts).toBe(
    slack.messages.get('C_ALERTS')?.find((m) => m.metadata?.event_payload.incident_id === e.incident.id)?.ts,
  );
  expect(first?.args.channel).toBe('#alerts');
  expect(JSON.stringify(update?.args.blocks)).toContain('Resolved');
});

test('a 429 with Retry-After is waited out and the incident is posted exactly once', async () => {
  const e = fresh();
  slack.rateLimitNext('chat.postMessage', 1);
  const started = Date.now();
  expect((await notifier().send(e)).ok).toBe(true);
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  expect(slack.callsOf('chat.postMessage')).toHaveLength(2);
  const posted = slack.messages.get('C_ALERTS')?.filter((m) => m.metadata?.event_payload.incident_id === e.incident.id);
  expect(posted).toHaveLength(1);
});

test('a post whose response was lost is found in the channel history on retry, not posted twice', async () => {
  const e = fresh();
  const slackN = notifier();
  slack.dropResponseNext('chat.postMessage');
  const failed = await slackN.send(e);
  expect(failed).toMatchObject({ ok: false, retryable: true });
  expect((await slackN.send(e)).ok).toBe(true);
  expect(slack.callsOf('conversations.history')).toHaveLength(1);
  expect(slack.callsOf('chat.update')).toHaveLength(1);
  const posted = slack.messages.get('C_ALERTS')?.filter((m) => m.metadata?.event_payload.incident_id === e.incident.id);
  expect(posted).toHaveLength(1);
});

test('routes by service glob and minimum severity', async () => {
  await notifier().send(fresh({}, { service: 'payments-api', severity: 'critical' }));
  await notifier().send(fresh({}, { service: 'payments-api', severity: 'medium' }));
  expect(slack.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['#payments', '#alerts']);
});

test('storm mode: beyond N new incidents a minute, one summary message instead of more posts', async () => {
  let now = T0;
  const slackN = notifier({ stormPerMinute: 2, now: () => now });
  for (let k = 0; k < 4; k++) await slackN.send(fresh({}, { service: `storm-${k}` }));
  const rollback = fresh(
    {
      playbook: {
        name: 'deploy-rollback-webhook',
        title: 'Roll back',
        reason: 'suspected deploy dep-42 -> deploy-rollback-webhook',
      },
    },
    { service: 'storm-4' },
  );
  await slackN.send(rollback);
  const posts = slack.callsOf('chat.postMessage');
  expect(posts).toHaveLength(3);
  expect(String(posts[2]?.args.text)).toContain('Incident storm');
  const updates = slack.callsOf('chat.update');
  expect(updates).toHaveLength(2);
  expect(String(updates[1]?.args.text)).toMatch(/3 more new messages[\s\S]*storm-2[\s\S]*storm-3[\s\S]*storm-4/);
  // No button in a summary: the line says which playbook and how to run it.
  expect(String(updates[1]?.args.text)).toContain(
    `recommended \`deploy-rollback-webhook\`: \`/vigil run deploy-rollback-webhook ${rollback.incident.id}\``,
  );
  now += 61_000;
  await slackN.send(fresh({}, { service: 'after-storm' }));
  expect(slack.callsOf('chat.postMessage').at(-1)?.args.metadata).toBeDefined();
});

test('a headline change edits the post; a re-render that changes nothing does not', async () => {
  const e = fresh();
  const slackN = notifier();
  await slackN.send(e);
  const h = e.incident.headline;
  const bigger = {
    ...e.incident,
    headline: {
      ...h,
      seriesKey: 'sim:error_rate{service="checkout"}',
      metric: 'error_rate',
      observed: 0.07,
      expected: 0.01,
      band: [0.005, 0.015] as const,
    },
  };
  await slackN.send({ ...e, kind: 'updated', incident: bigger });
  await slackN.send({ ...e, kind: 'updated', incident: bigger });
  const updates = slack.callsOf('chat.update');
  expect(updates).toHaveLength(1);
  expect(String(updates[0]?.args.text)).toContain('error_rate');
});

test('a Slack platform error other than a rate limit is a permanent failure', async () => {
  const slackN = createSlackNotifier({
    client: createSlackClient({ token: 'xoxb-test', apiUrl: slack.apiUrl.replace(/\/api\/$/, '/nope/') }),
    store,
    log: silentLogger(),
    stormPerMinute: 10,
    route: () => '#x',
  });
  expect(await slackN.send(fresh())).toMatchObject({
    ok: false,
    retryable: false,
    error: 'Slack answered unknown_method',
  });
});
