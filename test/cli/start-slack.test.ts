/**
 * `vigil start`'s Slack wiring (startService, the function the command
 * runs): POST /slack/events on Vigil's own HTTP server checks signatures,
 * answers commands and buttons, and a button re-renders the incident's
 * message through buildApp's refresh; Slack keys that do not fit together
 * stop startup with a ConfigError naming them; Socket Mode connects out and
 * answers over a real WebSocket. Real HTTP on 127.0.0.1:0, the loopback fake
 * Slack Web API and Socket Mode endpoint, the embedded store.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startService, type Service } from '../../src/main.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { signSlackRequest } from '../../src/notify/slack/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { deliver } from '../../src/stages/notify.js';
import { incident } from '../notify/slack/events.js';
import { startFakeSlack, type FakeSlack } from '../notify/slack/fake-slack.js';
import { startFakeSocket } from '../notify/slack/fake-socket.js';

const SECRET = 'start-signing-secret-0123456789';
let slack: FakeSlack;

function configWith(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'vigil-start-slack-'));
  writeFileSync(join(cwd, 'vigil.yaml'), `notify:\n  slack:\n    apiUrl: ${slack.apiUrl}\n`);
  return loadConfig({ VIGIL_HTTP_HOST: '127.0.0.1', VIGIL_HTTP_PORT: '0', ...env }, cwd);
}

beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
});

describe('HTTP mode', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService(
      configWith({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: '#alerts', SLACK_SIGNING_SECRET: SECRET }),
      { ephemeralStore: true, log: silentLogger() },
    );
  });
  afterAll(async () => {
    await service?.stop();
  });

  async function post(body: string, signature?: string) {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${service.url}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature ?? signSlackRequest(SECRET, ts, body),
      },
    });
    await service.app.slack?.settled();
    return res;
  }
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const command = (text: string) =>
    form({
      command: '/vigil',
      text,
      user_id: 'U1',
      channel_id: 'C_ALERTS',
      team_id: 'T1',
      trigger_id: 'x',
      response_url: `${slack.baseUrl}/respond/cmd`,
    });

  test('the bot checks its token once at startup and serves POST /slack/events', async () => {
    expect(service.app.slack?.socketMode).toBe(false);
    expect(slack.callsOf('auth.test')).toHaveLength(1);
  });

  test('a bad signature is 401 and nothing is answered; a good one is 200 and the command is answered', async () => {
    const before = slack.responses.length;
    expect((await post(command('help'), `v0=${'0'.repeat(64)}`)).status).toBe(401);
    expect(slack.responses).toHaveLength(before);
    expect((await post(command('help'))).status).toBe(200);
    expect(String(slack.responses.at(-1)?.text)).toContain('*Vigil commands*');
  });

  test('Acknowledge on a posted incident re-renders its message (refresh through the Slack notifier)', async () => {
    const { store, deps } = service.app;
    const { incident: inc } = await store.openOrGetIncident(incident({ id: 'inc_start_ack' }));
    const notifier = deps.notifiers.find((n) => n.name === 'slack')!;
    await deliver(store, notifier, inc.id, 'opened');
    const ts = (await store.getNotificationRef('slack', inc.id))?.ts;
    const payload = {
      type: 'block_actions',
      user: { id: 'U2', name: 'bo' },
      team: { id: 'T1' },
      channel: { id: 'C_ALERTS' },
      trigger_id: 'x',
      response_url: `${slack.baseUrl}/respond/ack`,
      container: { type: 'message' },
      actions: [
        {
          type: 'button',
          action_id: 'vigil_ack',
          block_id: 'vigil_incident',
          value: JSON.stringify({ incidentId: inc.id }),
          action_ts: '1',
        },
      ],
    };
    expect((await post(form({ payload: JSON.stringify(payload) }))).status).toBe(200);
    expect((await store.getIncident(inc.id))?.acknowledged?.by).toBe('U2');
    const update = slack
      .callsOf('chat.update')
      .filter((c) => c.args.ts === ts)
      .at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain('Acknowledged by <@U2>');
  });

  test('/vigil show answers with the recommended playbook, why it was chosen, and its Run button', async () => {
    const { incident: inc } = await service.app.store.openOrGetIncident(incident({ id: 'inc_start_show' }));
    expect((await post(command(`show ${inc.id}`))).status).toBe(200);
    const blocks = JSON.stringify(slack.responses.at(-1)?.blocks ?? []);
    expect(blocks).toMatch(/\*Recommended playbook\* `[\w-]+`/);
    expect(blocks).toContain('_Why_: ');
    expect(blocks).toContain('"action_id":"vigil_run_playbook"');
  });
});

test('without Slack configured there is no /slack/events route', async () => {
  const service = await startService(configWith({}), { ephemeralStore: true, log: silentLogger() });
  try {
    expect(service.app.slack).toBeNull();
    expect(service.app.deps.notifiers.map((n) => n.name)).toEqual(['console']);
    expect((await fetch(`${service.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  } finally {
    await service.stop();
  }
});

test('Socket Mode connects out with the app token to the configured Web API; a refused app token is logged and the service runs on', async () => {
  slack.refuseToken('xapp-1-refused');
  let logged = '';
  const log = pino(
    { level: 'error' },
    new Writable({
      write(chunk, _e, cb) {
        logged += String(chunk);
        cb();
      },
    }),
  );
  const service = await startService(
    configWith({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: '#alerts', SLACK_APP_TOKEN: 'xapp-1-refused' }),
    { ephemeralStore: true, log },
  );
  try {
    expect(service.app.slack?.socketMode).toBe(true);
    await service.slackStarted;
    expect(slack.callsOf('apps.connections.open')).toHaveLength(1);
    expect(logged).toContain('Slack: Socket Mode could not connect (notify.slack.appToken, SLACK_APP_TOKEN)');
    expect(logged).toContain('invalid_auth');
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${service.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  } finally {
    await service.stop();
  }
});

/** Polls `cond` until it holds (the socket answers asynchronously; no timing is asserted). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

test('Socket Mode: connects over a real WebSocket with the app token; a /vigil command from the socket is acked and answered', async () => {
  const socket = await startFakeSocket();
  slack.openSocketsAt(socket.url);
  const service = await startService(
    configWith({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: '#alerts', SLACK_APP_TOKEN: 'xapp-1-good' }),
    { ephemeralStore: true, log: silentLogger() },
  );
  try {
    await service.slackStarted;
    await socket.connected();
    const opened = slack.callsOf('apps.connections.open');
    expect(opened.length).toBeGreaterThan(0);
    const before = slack.responses.length;
    socket.send({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        command: '/vigil',
        text: 'help',
        user_id: 'U1',
        channel_id: 'C_ALERTS',
        team_id: 'T1',
        trigger_id: 'x',
        response_url: `${slack.baseUrl}/respond/socket`,
      },
    });
    expect(await socket.ackOf('env-1')).toMatchObject({ envelope_id: 'env-1' });
    await until(() => slack.responses.length > before);
    expect(String(slack.responses.at(-1)?.text)).toContain('*Vigil commands*');
    expect((await fetch(`${service.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  } finally {
    await service.stop();
    await socket.close();
  }
});

describe('Slack keys that do not fit together stop startup', () => {
  test('a bot token without a signing secret or an app token', async () => {
    const start = startService(configWith({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: '#alerts' }), {
      ephemeralStore: true,
      log: silentLogger(),
    });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(
      /notify\.slack\.signingSecret \(SLACK_SIGNING_SECRET, HTTP mode\) nor notify\.slack\.appToken \(SLACK_APP_TOKEN, Socket Mode\)/,
    );
  });

  test('a bot token without a channel', async () => {
    const start = startService(configWith({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET }), {
      ephemeralStore: true,
      log: silentLogger(),
    });
    await expect(start).rejects.toThrow(/notify\.slack\.channel \(SLACK_CHANNEL\) is not/);
  });
});
