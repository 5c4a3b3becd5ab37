/**
 * The Web API client Vigil uses. One layer owns each kind of retry: the
 * client never retries (retries: 0) and rejects 429s at once
 * (rejectRateLimitedCalls), so the notifier waits out Retry-After itself and
 * the queue retries everything else. A client-side retry of a post whose
 * response was lost could post it twice.
 */
import { webApi } from '@slack/bolt';

export type WebClient = InstanceType<typeof webApi.WebClient>;

export interface SlackClientOptions {
  readonly token: string;
  /** Web API base URL ending in /api/ (tests point it at a loopback fake). */
  readonly apiUrl?: string;
  readonly timeoutMs?: number;
}

export function createSlackClient(o: SlackClientOptions): WebClient {
  return new webApi.WebClient(o.token, {
    slackApiUrl: o.apiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs ?? 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });
}
