/**
 * The bot's identity, asked once at startup (auth.test), so Bolt need not
 * ask per event. Effects: one auth.test call. Failure modes: a refused or
 * non-bot token is a ConfigError naming the key; an unreachable Slack is
 * logged and answers null (Bolt then asks per event, which checks the
 * token again).
 */
import { ConfigError } from '../../config/index.js';
import type { WebClient } from './client.js';
import { classify } from './errors.js';
import type { SlackIdentity } from './app.js';

export async function identifyBot(
  client: WebClient,
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
): Promise<SlackIdentity | null> {
  try {
    const res = await client.auth.test();
    if (res.bot_id && res.user_id) {
      log.info({ team: res.team, user: res.user }, 'Slack: bot token accepted');
      return { botId: res.bot_id, botUserId: res.user_id };
    }
    throw new ConfigError(
      'config: notify.slack.botToken (SLACK_BOT_TOKEN) is not a bot token (auth.test names no bot): use the Bot User OAuth Token, xoxb-...',
    );
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const f = classify(err);
    if (!f.retryable)
      throw new ConfigError(`config: Slack refused notify.slack.botToken (SLACK_BOT_TOKEN): ${f.message}`);
    log.warn({ err: f.message }, 'Slack unreachable at startup: the bot token is checked again with the first event');
    return null;
  }
}
