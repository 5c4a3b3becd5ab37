/**
 * The notifiers and bot the config asks for: console only by default,
 * console and Slack with a bot token and channel; how `vigil start` serves
 * the bot; and the bot token checked once (refused: a ConfigError; Slack
 * unreachable: logged, checked again per event).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { configuredNotifiers, configuredSlackBot, slackServing, slackSettings } from '../../src/compose/notifiers.js';
import { createConsoleNotifier } from '../../src/notify/console/index.js';
import { unconfiguredRunner } from '../../src/notify/slack/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startFakeSlack, type FakeSlack } from '../notify/slack/fake-slack.js';

const SECRET = 'configured-signing-secret-0123';
let slack: FakeSlack;
let store: Store;
beforeAll(async () => {
  [slack, store] = await Promise.all([startFakeSlack(), openStore({ dataDir: 'memory://' })]);
});
afterAll(async () => {
  await Promise.all([slack?.close(), store?.close()]);
});

function config(env: Record<string, string>, apiUrl = slack.apiUrl) {
  const cwd = mkdtempSync(join(tmpdir(), 'vigil-configured-'));
  writeFileSync(join(cwd, 'vigil.yaml'), `notify:\n  slack:\n    apiUrl: ${apiUrl}\n`);
  return loadConfig(env, cwd);
}
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_CHANNEL: '#alerts' };

test('console only without a bot token; console and Slack with a bot token and channel; the caller may replace the console', async () => {
  expect((await configuredNotifiers(config({}), { store, log: silentLogger() })).map((n) => n.name)).toEqual([
    'console',
  ]);
  expect(slackServing(config({}))).toBeNull();
  const own = createConsoleNotifier();
  const both = await configuredNotifiers(config(SLACK), { store, log: silentLogger(), console: own });
  expect(both.map((n) => n.name)).toEqual(['console', 'slack']);
  expect(both[0]).toBe(own);
});

test('HTTP mode with a signing secret, Socket Mode with an app token (which wins)', () => {
  expect(slackServing(config({ ...SLACK, SLACK_SIGNING_SECRET: SECRET }))).toBe('http');
  expect(slackServing(config({ ...SLACK, SLACK_APP_TOKEN: 'xapp-1-test' }))).toBe('socket');
  expect(slackServing(config({ ...SLACK, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: 'xapp-1-test' }))).toBe(
    'socket',
  );
});

test('a signing secret that is too short is refused with the minimum length; verdicts default to the digest', () => {
  expect(() => config({ ...SLACK, SLACK_SIGNING_SECRET: 'short-secret' })).toThrow(
    /notify\.slack\.signingSecret[\s\S]*at least 16 characters/,
  );
  expect(config(SLACK).notify.slack.verdicts).toBe('digest');
});

test('a bot token without a way to receive events, or without a channel, is a ConfigError naming the keys', () => {
  expect(() => slackServing(config(SLACK))).toThrow(ConfigError);
  expect(() => slackServing(config(SLACK))).toThrow(
    'neither notify.slack.signingSecret (SLACK_SIGNING_SECRET, HTTP mode) nor notify.slack.appToken (SLACK_APP_TOKEN, Socket Mode)',
  );
  expect(() => slackSettings(config({ SLACK_BOT_TOKEN: 'xoxb-test' }))).toThrow(
    'notify.slack.channel (SLACK_CHANNEL) is not',
  );
});

const botDeps = (warnings: string[]) => ({
  store,
  runner: unconfiguredRunner,
  refresh: async () => {},
  now: Date.now,
  log: {
    ...silentLogger(),
    warn: (_o: object, msg: string) => {
      warnings.push(msg);
    },
  },
});

test('the bot token is checked once; a refused token is a ConfigError', async () => {
  const calls = slack.callsOf('auth.test').length;
  const bot = await configuredSlackBot(config({ ...SLACK, SLACK_SIGNING_SECRET: SECRET }), botDeps([]));
  expect(bot?.routes).not.toBeNull();
  expect(slack.callsOf('auth.test')).toHaveLength(calls + 1);

  slack.refuseToken('xoxb-revoked');
  await expect(
    configuredSlackBot(
      config({ ...SLACK, SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SECRET }),
      botDeps([]),
    ),
  ).rejects.toThrow('Slack refused notify.slack.botToken (SLACK_BOT_TOKEN): Slack answered invalid_auth');
});

test('an unreachable Slack at startup is logged and the bot is still built', async () => {
  const warnings: string[] = [];
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  const bot = await configuredSlackBot(
    config({ ...SLACK, SLACK_SIGNING_SECRET: SECRET }, 'http://127.0.0.1:9/api/'),
    botDeps(warnings),
  );
  expect(bot).not.toBeNull();
  expect(warnings).toEqual(['Slack unreachable at startup: the bot token is checked again with the first event']);
});
