/**
 * The notifiers and the Slack bot that the Config asks for (main.ts wires
 * them). Console always (the caller may pass its own, e.g. the demo's
 * stream); Slack when notify.slack.botToken and channel are set; SNS when
 * notify.sns.topicArn is set. The bot is served over HTTP or Socket Mode as
 * the keys say (slackServing).
 * Effects: configuredSlackBot() calls auth.test once (notify/slack/identify.ts).
 * The Slack and SNS folders (with @slack/bolt, the chart renderer and the
 * AWS SDK) are imported only when the config turns them on: a process
 * without them never loads those packages.
 * Failure modes: a ConfigError naming the key when the Slack keys do not fit
 * together, or when Slack refuses the bot token; an unreachable Slack at
 * startup is logged and the bot asks for its identity per event instead.
 */
import { ConfigError, type Config } from '../config/index.js';
import { createConsoleNotifier } from '../notify/console/index.js';
import type { Notifier } from '../notify/index.js';
import type { BotDeps, SlackBot, WebClient } from '../notify/slack/index.js';
import { SLACK_NOTIFIER } from '../notify/slack/types.js';
import type { Logger } from '../observability/index.js';
import { deliver, type DeliverOptions } from '../stages/notify.js';
import type { Store } from '../store/index.js';
import type { AppOptions } from './types.js';

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
  if (!s.channel)
    throw new ConfigError(
      'config: notify.slack.botToken (SLACK_BOT_TOKEN) is set but notify.slack.channel (SLACK_CHANNEL) is not: name the default channel for incident posts',
    );
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
  throw new ConfigError(
    'config: notify.slack.botToken (SLACK_BOT_TOKEN) is set but neither notify.slack.signingSecret (SLACK_SIGNING_SECRET, HTTP mode) nor notify.slack.appToken (SLACK_APP_TOKEN, Socket Mode) is: the bot cannot receive commands and buttons',
  );
}

const slackModule = () => import('../notify/slack/index.js');

const clients = new WeakMap<Config, WebClient>();
/** One Web API client per Config, shared by the notifier and the identity check. */
async function slackClient(s: SlackConfig & { botToken: string }, config: Config): Promise<WebClient> {
  const existing = clients.get(config);
  if (existing) return existing;
  const { createSlackClient } = await slackModule();
  const client = createSlackClient({ token: s.botToken, ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}) });
  clients.set(config, client);
  return client;
}

export async function configuredNotifiers(config: Config, d: ConfiguredDeps): Promise<Notifier[]> {
  const notifiers: Notifier[] = [d.console ?? createConsoleNotifier()];
  const s = slackSettings(config);
  if (s) {
    const { createRouter, createSlackNotifier } = await slackModule();
    notifiers.push(
      createSlackNotifier({
        client: await slackClient(s, config),
        store: d.store,
        log: d.log,
        route: createRouter(s.routes, s.channel),
        stormPerMinute: s.stormPerMinute,
        verdicts: s.verdicts,
      }),
    );
  }
  if (config.notify.sns.topicArn !== null) {
    const { snsNotifierFromConfig } = await import('../notify/sns/index.js');
    const sns = snsNotifierFromConfig(config.notify.sns, { log: d.log });
    if (sns) notifiers.push(sns);
  }
  return notifiers;
}

/**
 * The notifiers an App delivers to: the caller's own (`notifiers`), the
 * console alone (`consoleOnly`), or those the config asks for; the console
 * notifier is the caller's, or one writing to `consoleOut` (default stdout).
 * `configured` says they came from the config: only then does a Slack bot run.
 */
export async function appNotifiers(
  config: Config,
  o: Pick<AppOptions, 'notifiers' | 'consoleNotifier' | 'consoleOut' | 'consoleOnly'>,
  d: Omit<ConfiguredDeps, 'console'>,
): Promise<{ notifiers: readonly Notifier[]; configured: boolean }> {
  if (o.notifiers) return { notifiers: o.notifiers, configured: false };
  const own = o.consoleNotifier ?? (o.consoleOut ? createConsoleNotifier(o.consoleOut) : undefined);
  if (o.consoleOnly) return { notifiers: [own ?? createConsoleNotifier()], configured: false };
  return { notifiers: await configuredNotifiers(config, { ...d, ...(own ? { console: own } : {}) }), configured: true };
}

/** The bot that answers /vigil, @mentions and buttons, or null when Slack is off. */
export async function configuredSlackBot(config: Config, d: BotDeps & { readonly log: Log }): Promise<SlackBot | null> {
  const s = slackSettings(config);
  if (!s) return null;
  const { createSlackBot, identifyBot } = await slackModule();
  const identity = await identifyBot(await slackClient(s, config), d.log);
  return createSlackBot(
    {
      token: s.botToken,
      signingSecret: s.signingSecret,
      appToken: s.appToken,
      identity,
      ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
    },
    d,
  );
}

/** Re-renders an incident's Slack message after a person's action (silences do not apply); failures are logged. */
export function slackRefresh(
  store: Store,
  notifiers: readonly Notifier[],
  log: Logger,
  recommend?: DeliverOptions['recommend'],
): (incidentId: string) => Promise<void> {
  const slack = notifiers.find((n) => n.name === SLACK_NOTIFIER);
  return async (incidentId) => {
    if (!slack) return;
    await deliver(store, slack, incidentId, 'updated', {
      ignoreSilences: true,
      ...(recommend ? { recommend } : {}),
    }).catch((err: unknown) =>
      log.warn({ incident: incidentId, err }, "could not re-render the incident's Slack message"),
    );
  };
}
