/**
 * slack-app-manifest.yaml asks for exactly what the code uses: the bot
 * scopes of every Web API method called under src/notify (read from the
 * sources, so a new call without its scope fails here), the /vigil command,
 * the app_mention event, and interactivity, all at POST /slack/events.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Bot scopes of the Web API methods Vigil calls (https://api.slack.com/methods). */
const SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'usergroups.list': ['usergroups:read'],
};
/** Scopes of what Bolt listens to. */
const LISTENER_SCOPES: Record<string, readonly string[]> = {
  command: ['commands'],
  app_mention: ['app_mentions:read'],
  say: ['chat:write'],
};

const sources = readdirSync('src/notify/slack')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join('src/notify/slack', f), 'utf8'))
  .join('\n');
const matches = (re: RegExp) => [...sources.matchAll(re)].map((m) => m[1]!);

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}
const manifest = parse(readFileSync('slack-app-manifest.yaml', 'utf8')) as Manifest;

test('the bot scopes are exactly those of the methods called and the listeners registered', () => {
  const methods = [...new Set(matches(/client\.(\w+\.\w+)\(/g))].sort();
  expect(methods.length).toBeGreaterThan(3);
  for (const m of methods) expect(SCOPES).toHaveProperty([m]);
  const commands = matches(/app\.command\('([^']+)'/g);
  const events = matches(/app\.event\('([^']+)'/g);
  const listeners = [...(commands.length ? ['command'] : []), ...events, ...(/\bsay\(/.test(sources) ? ['say'] : [])];
  const needed = new Set([
    ...methods.flatMap((m) => SCOPES[m] ?? []),
    ...listeners.flatMap((l) => LISTENER_SCOPES[l] ?? [`unknown listener ${l}`]),
  ]);
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
});

test('/vigil, app_mention and interactivity, all at /slack/events', () => {
  expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(matches(/app\.command\('([^']+)'/g));
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(matches(/app\.event\('([^']+)'/g));
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  const urls = [
    ...manifest.features.slash_commands.map((c) => c.url),
    manifest.settings.event_subscriptions.request_url,
    manifest.settings.interactivity.request_url,
  ];
  for (const u of urls) expect(new URL(u).pathname).toBe('/slack/events');
});
