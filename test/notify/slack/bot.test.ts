/**
 * The Bolt app behind Vigil's real HTTP server: signed requests (valid,
 * wrong signature, stale timestamp), slash commands, @mentions and the
 * incident buttons, against the loopback fake Web API and the embedded store.
 */
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../../src/http/index.js';
import { createMetrics, silentLogger } from '../../../src/observability/index.js';
import {
  createRouter,
  createSlackBot,
  createSlackClient,
  createSlackNotifier,
  signSlackRequest,
  type SlackBot,
} from '../../../src/notify/slack/index.js';
import type { Notifier } from '../../../src/notify/index.js';
import { deliver } from '../../../src/stages/notify.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident } from './events.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

const SECRET = 'test-signing-secret-0123456789';
let store: Store;
let slack: FakeSlack;
let http: FastifyInstance;
let url: string;
let notifier: Notifier;
let bot: SlackBot;
const runs: Array<[string, string, string]> = [];

beforeAll(async () => {
  [store, slack] = await Promise.all([openStore({ dataDir: 'memory://' }), startFakeSlack()]);
  const log = silentLogger();
  notifier = createSlackNotifier({
    client: createSlackClient({ token: 'xoxb-test', apiUrl: slack.apiUrl }),
    store,
    log,
    stormPerMinute: 100,
    route: createRouter([], 'C_ALERTS'),
  });
  bot = createSlackBot(
    { token: 'xoxb-test', signingSecret: SECRET, apiUrl: slack.apiUrl },
    {
      store,
      log,
      now: () => Date.UTC(2026, 0, 5, 11),
      runner: {
        async requestRun(incidentId, playbook, user) {
          runs.push([incidentId, playbook, user]);
          return `playbook ${playbook} awaits approval`;
        },
      },
      refresh: (id) => deliver(store, notifier, id, 'updated', { ignoreSilences: true }),
    },
  );
  http = await createHttpServer({ log, metrics: createMetrics(), checks: [], plugins: [bot.routes!] });
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack/events`;
});
afterAll(async () => {
  await http?.close();
  await Promise.all([store?.close(), slack?.close()]);
});

/** Posts a signed request and waits until its listeners have finished (they run on after the ack). */
async function post(body: string, type: string, over: { ts?: number; signature?: string } = {}) {
  const ts = String(over.ts ?? Math.floor(Date.now() / 1000));
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': type,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': over.signature ?? signSlackRequest(SECRET, ts, body),
    },
  });
  await bot.settled();
  return res;
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
let responseN = 0;
function command(text: string) {
  return post(
    form({
      command: '/vigil',
      text,
      user_id: 'U1',
      user_name: 'ana',
      channel_id: 'C_ALERTS',
      team_id: 'T1',
      trigger_id: 'x',
      response_url: `${slack.baseUrl}/respond/${++responseN}`,
    }),
    'application/x-www-form-urlencoded',
  );
}
function click(actionId: string, value: object) {
  const payload = {
    type: 'block_actions',
    user: { id: 'U2', name: 'bo' },
    team: { id: 'T1' },
    channel: { id: 'C_ALERTS' },
    trigger_id: 'x',
    response_url: `${slack.baseUrl}/respond/${++responseN}`,
    container: { type: 'message' },
    actions: [
      { type: 'button', action_id: actionId, block_id: 'vigil_incident', value: JSON.stringify(value), action_ts: '1' },
    ],
  };
  return post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
}
const lastResponse = () => String(slack.responses.at(-1)?.text ?? '');

describe('request signatures', () => {
  test('a valid signature is accepted; url_verification answers the challenge', async () => {
    const res = await post(JSON.stringify({ type: 'url_verification', challenge: 'abc' }), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc' });
  });

  test('a wrong signature is 401', async () => {
    const res = await post(form({ command: '/vigil', text: 'help' }), 'application/x-www-form-urlencoded', {
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(res.status).toBe(401);
  });

  test('a stale timestamp is 401 even when correctly signed', async () => {
    const res = await post(form({ command: '/vigil', text: 'help' }), 'application/x-www-form-urlencoded', {
      ts: Math.floor(Date.now() / 1000) - 301,
    });
    expect(res.status).toBe(401);
  });
});

describe('commands', () => {
  test('help and unknown input answer usage through the response URL', async () => {
    expect((await command('help')).status).toBe(200);
    expect(lastResponse()).toContain('*Vigil commands*');
    await command('frobnicate');
    expect(lastResponse()).toMatch(/^unknown command `frobnicate`\.\n\n\*Vigil commands\*/);
    expect(slack.responses.at(-1)?.response_type).toBe('ephemeral');
  });

  test('silence, status and unsilence', async () => {
    await command('silence checkout 2h deploy window');
    const id = /id `(sil_\w+)`/.exec(lastResponse())?.[1];
    expect(id).toBeDefined();
    await command('status');
    expect(lastResponse()).toContain(`\`${id}\` service \`checkout\` for 2h more (deploy window)`);
    await command(`unsilence ${id}`);
    expect(lastResponse()).toBe(`Silence \`${id}\` lifted.`);
    expect((await store.listAudit({ limit: 5 })).map((a) => a.action)).toEqual(
      expect.arrayContaining(['silence.add', 'silence.remove']),
    );
  });

  test('an @mention is answered in its thread', async () => {
    const before = slack.callsOf('chat.postMessage').length;
    const body = {
      type: 'event_callback',
      team_id: 'T1',
      api_app_id: 'A1',
      event_id: 'Ev1',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U1',
        text: '<@UBOT> incidents',
        ts: '1767700000.000500',
        channel: 'C_ALERTS',
      },
    };
    expect((await post(JSON.stringify(body), 'application/json')).status).toBe(200);
    const reply = slack.callsOf('chat.postMessage').slice(before).at(-1);
    expect(reply?.args).toMatchObject({ channel: 'C_ALERTS', thread_ts: '1767700000.000500' });
  });
});

describe('buttons', () => {
  test('acknowledge, not an anomaly, undo, run playbook, silence and resolve: stored, audited, message re-rendered', async () => {
    const { incident: inc } = await store.openOrGetIncident(incident({ id: 'inc_buttons', service: 'buttons-svc' }));
    await deliver(store, notifier, inc.id, 'opened');
    const ts = (await store.getNotificationRef('slack', inc.id))?.ts;
    const updates = () => slack.callsOf('chat.update').filter((c) => c.args.ts === ts);

    await click('vigil_ack', { incidentId: inc.id });
    expect((await store.getIncident(inc.id))?.acknowledged).toEqual({ by: 'U2', at: Date.UTC(2026, 0, 5, 11) });
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain('Acknowledged by <@U2>');

    await click('vigil_not_anomaly', { incidentId: inc.id });
    const [fb] = await store.listFeedback({ seriesKey: inc.headline.seriesKey });
    expect(fb).toMatchObject({ kind: 'level_shift', incidentId: inc.id, createdBy: 'U2' });
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain('vigil_unfeedback');
    await command(`explain ${inc.headline.seriesKey}`);
    expect(lastResponse()).toContain('No series');
    await store.upsertSeries({
      key: inc.headline.seriesKey,
      source: 'sim',
      metric: 'latency_p99',
      service: 'buttons-svc',
      labels: {},
    });
    await command(`explain ${inc.headline.seriesKey}`);
    expect(JSON.stringify(slack.responses.at(-1))).toContain(
      `${fb!.id}\` not an anomaly: level shifts up to 19.5 band widths`,
    );
    await click('vigil_unfeedback', { incidentId: inc.id, feedbackId: fb!.id });
    expect(await store.listFeedback({ seriesKey: inc.headline.seriesKey })).toEqual([]);

    await click('vigil_run_playbook', { incidentId: inc.id, playbook: 'rollback' });
    expect(runs).toEqual([[inc.id, 'rollback', 'U2']]);
    expect(lastResponse()).toBe('playbook rollback awaits approval');

    await click('vigil_silence_1h', { incidentId: inc.id });
    expect(
      (await store.listActiveSilences(Date.UTC(2026, 0, 5, 11))).find((s) => s.target.value === 'buttons-svc')?.until,
    ).toBe(Date.UTC(2026, 0, 5, 12));

    await click('vigil_resolve', { incidentId: inc.id });
    expect((await store.getIncident(inc.id))?.status).toBe('resolved');
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain('Resolved');

    const audit = (await store.listAudit({ limit: 50 }))
      .filter((a) => a.actor === 'slack:U2')
      .map((a) => `${a.action}:${a.result}`)
      .reverse();
    expect(audit).toEqual([
      'incident.ack:ok',
      'feedback.not_anomaly:ok',
      'feedback.revoke:ok',
      'playbook.request:ok',
      'silence.add:ok',
      'incident.resolve:ok',
    ]);
    // Every change is in the thread, once.
    const thread = slack
      .callsOf('chat.postMessage')
      .filter((c) => c.args.thread_ts === ts)
      .map((c) => String(c.args.text));
    expect(thread).toHaveLength(6);
    expect(new Set(thread).size).toBe(6);
  });

  test('a button for an unknown incident is refused and audited, not thrown', async () => {
    await click('vigil_ack', { incidentId: 'inc_missing' });
    expect(lastResponse()).toContain('No incident `inc_missing`');
    expect((await store.listAudit({ limit: 1 }))[0]).toMatchObject({
      action: 'incident.ack',
      target: 'inc_missing',
      result: 'refused',
    });
  });
});
