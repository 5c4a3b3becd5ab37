/**
 * The notifiers and the Slack bot that the Config asks for (main.ts wires
 * them). Console always (the caller may pass its own, e.g. the demo's
 * stream); Slack when notify.slack.botToken and channel are set; SNS when
 * notify.sns.topicArn is set.
 * Effects: slackBot() calls auth.test once. Failure modes: a ConfigError
 * naming the key when the Slack keys do not fit together, or when Slack
 * refuses the bot token; an unreachable Slack at startup is logged and the
 * bot asks for its identity per event instead.
 */
import { ConfigError, type Config } from '../config/index.js';
import type { Store } from '../store/types.js';
import { createConsoleNotifier } from './console/index.js';
import {
  classifySlackError, createRouter, createSlackBot, createSlackClient, createSlackNotifier,
  type BotDeps, type SlackBot, type SlackIdentity, type WebClient,
} from './slack/index.js';
import { snsNotifierFromConfig } from './sns/index.js';
import type { Notifier } from './types.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ConfiguredDeps {
  readonly store: Store;
  readonly log: Log;
  /** Replaces the default console notifier (stdout). */
  readonly console?: Notifier;
}

type SlackConfig = Config['notify']['slack'];

/** The Slack settings when Slack is on (bot token and default channel set), else null. Throws a ConfigError for a token without a channel. */
export function slackSettings(config: Config): (SlackConfig & { botToken: string; channel: string }) | null {
  const s = config.notify.slack;
  if (!s.botToken) return null;
  if (!s.channel) throw new ConfigError('config: notify.slack.botToken (SLACK_BOT_TOKEN) is set but notify.slack.channel (SLACK_CHANNEL) is not: name the default channel for incident posts');
  return { ...s, botToken: s.botToken, channel: s.channel };
}

/**
 * How `vigil start` serves the bot: 'socket' with an app-level token, 'http'
 * (POST /slack/events) with a signing secret, null when Slack is off.
 * Throws a ConfigError when the bot token has neither.
 */
export function slackServing(config: Config): 'http' | 'socket' | null {
  const s = slackSettings(config);
  if (!s) return null;
  if (s.appToken) return 'socket';
  if (s.signingSecret) return 'http';
  throw new ConfigError('config: notify.slack.botToken (SLACK_BOT_TOKEN) is set but neither notify.slack.signingSecret (SLACK_SIGNING_SECRET, HTTP mode) nor notify.slack.appToken (SLACK_APP_TOKEN, Socket Mode) is: the bot cannot receive commands and buttons');
}

const clients = new WeakMap<Config, WebClient>();
/** One Web API client per Config, shared by the notifier and the identity check. */
function slackClient(s: SlackConfig & { botToken: string }, config: Config): WebClient {
  const existing = clients.get(config);
  if (existing) return existing;
  const client = createSlackClient({ token: s.botToken, ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}) });
  clients.set(config, client);
  return client;
}

export function configuredNotifiers(config: Config, d: ConfiguredDeps): Notifier[] {
  const notifiers: Notifier[] = [d.console ?? createConsoleNotifier()];
  const s = slackSettings(config);
  if (s) {
    notifiers.push(createSlackNotifier({
      client: slackClient(s, config), store: d.store, log: d.log,
      route: createRouter(s.routes, s.channel), stormPerMinute: s.stormPerMinute, verdicts: s.verdicts,
    }));
  }
  const sns = snsNotifierFromConfig(config.notify.sns, { log: d.log });
  if (sns) notifiers.push(sns);
  return notifiers;
}

/** The bot that answers /vigil, @mentions and buttons, or null when Slack is off. */
export async function configuredSlackBot(config: Config, d: BotDeps & { readonly log: Log }): Promise<SlackBot | null> {
  const s = slackSettings(config);
  if (!s) return null;
  const identity = await identify(slackClient(s, config), d.log);
  return createSlackBot({
    token: s.botToken, signingSecret: s.signingSecret, appToken: s.appToken, identity,
    ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
  }, d);
}

/** auth.test once: a refused token stops startup with a clear message; a network failure defers the check. */
async function identify(client: WebClient, log: Log): Promise<SlackIdentity | null> {
  try {
    const res = await client.auth.test();
    if (res.bot_id && res.user_id) {
      log.info({ team: res.team, user: res.user }, 'Slack: bot token accepted');
      return { botId: res.bot_id, botUserId: res.user_id };
    }
    throw new ConfigError('config: notify.slack.botToken (SLACK_BOT_TOKEN) is not a bot token (auth.test names no bot): use the Bot User OAuth Token, xoxb-...');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const f = classifySlackError(err);
    if (!f.retryable) throw new ConfigError(`config: Slack refused notify.slack.botToken (SLACK_BOT_TOKEN): ${f.message}`);
    log.warn({ err: f.message }, 'Slack unreachable at startup: the bot token is checked again with the first event');
    return null;
  }
}
