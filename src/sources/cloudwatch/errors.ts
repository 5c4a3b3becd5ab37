/**
 * Classifies AWS SDK failures into VigilErrors and retries throttling.
 * Contract: `callWithRetry` runs `op` up to `attempts` times while AWS
 * throttles, sleeping with exponential backoff and full jitter between tries.
 * Failure modes: E_CLOUDWATCH_THROTTLED (retryable, after the last attempt),
 * E_CLOUDWATCH_AUTH (credentials/permissions; not retryable),
 * E_CLOUDWATCH_REQUEST (AWS rejected the request; not retryable),
 * E_CLOUDWATCH_UNAVAILABLE (5xx, timeouts, network; retryable), and the
 * signal's reason when aborted. Messages never carry credentials: auth
 * failures drop AWS's text (signature errors echo the access key id) and any
 * access-key-shaped token is masked.
 */
import { VigilError } from '../../domain/index.js';

const THROTTLE = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'TooManyRequests',
  'LimitExceededException',
  'LimitExceeded',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
]);
const AUTH = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'NotAuthorized',
]);
const REQUEST = new Set([
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'MissingRequiredParameter',
  'MissingParameter',
  'ValidationError',
  'ValidationException',
  'InvalidNextToken',
  'InvalidAction',
  'InvalidQueryParameter',
  'MalformedQueryString',
]);

interface AwsLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (err: AwsLike): number | undefined => err.$metadata?.httpStatusCode;

export function isThrottle(err: unknown): boolean {
  const e = err as AwsLike;
  return (e?.name !== undefined && THROTTLE.has(e.name)) || statusOf(e) === 429;
}

const mask = (text: string): string => text.replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '<access-key-id>');

/** Wraps a non-throttling SDK error; `what` names the call, e.g. "GetMetricData". */
export function classifyAwsError(err: unknown, what: string): VigilError {
  if (err instanceof VigilError) return err;
  const e = (err ?? {}) as AwsLike;
  const name = e.name ?? 'Error';
  const status = statusOf(e);
  if (AUTH.has(name) || status === 401 || status === 403) {
    return new VigilError(
      'E_CLOUDWATCH_AUTH',
      `cloudwatch ${what}: AWS refused the credentials or permissions (${name}${status ? `, HTTP ${status}` : ''}); ` +
        'check the credential chain (env, profile, role) and that the IAM policy allows cloudwatch:GetMetricData and cloudwatch:ListMetrics',
      false,
      { cause: err },
    );
  }
  if (REQUEST.has(name) || (status !== undefined && status >= 400 && status < 500)) {
    return new VigilError(
      'E_CLOUDWATCH_REQUEST',
      `cloudwatch ${what}: AWS rejected the request (${name}): ${mask(e.message ?? '')}`,
      false,
      { cause: err },
    );
  }
  return new VigilError(
    'E_CLOUDWATCH_UNAVAILABLE',
    `cloudwatch ${what}: ${name}: ${mask(e.message ?? String(err))}`,
    true,
    { cause: err },
  );
}

export interface RetryPolicy {
  /** total tries, including the first; default 5 */
  readonly attempts: number;
  /** first backoff ceiling in ms; doubles per try; default 500 */
  readonly baseMs: number;
  /** cap of one backoff in ms; default 20_000 */
  readonly maxMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 20_000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Timer sleep that rejects with the signal's reason as soon as it aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryDeps {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
}

export async function callWithRetry<T>(
  what: string,
  op: () => Promise<T>,
  deps: RetryDeps,
  signal?: AbortSignal,
): Promise<T> {
  const { policy } = deps;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await op();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (!isThrottle(err)) throw classifyAwsError(err, what);
      if (attempt >= policy.attempts) {
        throw new VigilError(
          'E_CLOUDWATCH_THROTTLED',
          `cloudwatch ${what}: still throttled by AWS after ${attempt} attempts; ` +
            'lower the number of metrics or poll less often, or raise the account quota',
          true,
          { cause: err },
        );
      }
      // Full jitter: spreads retries of many workers so they do not throttle again together.
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await deps.sleep(Math.floor(deps.random() * ceiling), signal);
    }
  }
}
