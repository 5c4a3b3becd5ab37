/**
 * Classifies Web API failures: which are worth retrying (by the queue), and
 * which are a 429 whose Retry-After the notifier waits out itself. Pure.
 */
const RETRYABLE_PLATFORM = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export interface SlackFailure {
  readonly retryable: boolean;
  /** Seconds Slack asked us to wait (429), if it did. */
  readonly retryAfter: number | null;
  readonly message: string;
}

export function classify(err: unknown): SlackFailure {
  const e = err as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    statusCode?: number;
    message?: string;
  };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { retryable: true, retryAfter: typeof e.retryAfter === 'number' ? e.retryAfter : 1, message };
    case 'slack_webapi_platform_error':
      return {
        retryable: RETRYABLE_PLATFORM.has(e.data?.error ?? ''),
        retryAfter: null,
        message: `Slack answered ${e.data?.error ?? 'an error'}`,
      };
    case 'slack_webapi_http_error':
      return { retryable: (e.statusCode ?? 500) >= 500, retryAfter: null, message };
    default:
      // Request errors (network, timeout) and anything unknown: the outcome is uncertain, so retry.
      return { retryable: true, retryAfter: null, message };
  }
}
