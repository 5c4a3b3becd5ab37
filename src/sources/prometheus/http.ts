/**
 * One GET of Prometheus' /api/v1/query_range.
 * Effects: one HTTP request, with bearer or basic auth when configured.
 * Failure modes, all VigilErrors:
 * - E_PROMETHEUS_UNAVAILABLE (retryable): connection refused/reset, DNS,
 *   timeout, a 5xx or 429 without a Prometheus error body.
 * - E_PROMETHEUS_QUERY: Prometheus answered {status:'error'}; retryable for
 *   timeout/unavailable/canceled/internal, not for bad_data/execution.
 * - E_PROMETHEUS_RESPONSE (not retryable): a body that is not JSON or not
 *   the documented shape, or another 4xx (401/403/404: fix the config).
 * An abort of the caller's signal rejects with the signal's reason.
 * Messages name the URL without credentials and never the auth headers.
 */
import { VigilError } from '../../domain/index.js';
import type { PrometheusAuth } from './options.js';
import { describeZod } from './options.js';
import { responseSchema, retryableErrorType } from './response.js';
import type { Matrix } from './response.js';

export interface Connection {
  /** base URL without credentials, ending in '/' so paths resolve under it */
  readonly base: URL;
  /** for messages: the base URL, credentials removed */
  readonly display: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

export function connect(
  url: string,
  auth: PrometheusAuth | undefined,
  timeoutMs: number,
  fetchImpl: typeof fetch,
): Connection {
  const base = new URL(url);
  // fetch() refuses URLs with credentials; user:pass@host becomes basic auth unless auth is given.
  const userinfo = base.username
    ? { username: decodeURIComponent(base.username), password: decodeURIComponent(base.password) }
    : null;
  base.username = '';
  base.password = '';
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const chosen = auth ?? userinfo ?? undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (chosen && 'bearerToken' in chosen) headers.authorization = `Bearer ${chosen.bearerToken}`;
  else if (chosen)
    headers.authorization = `Basic ${Buffer.from(`${chosen.username}:${chosen.password}`).toString('base64')}`;
  return { base, display: base.href.replace(/\/$/, ''), headers, timeoutMs, fetch: fetchImpl };
}

export interface RangeRequest {
  readonly queryId: string;
  readonly promql: string;
  /** epoch seconds, aligned to the step */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
}

const unavailable = (c: Connection, why: string, cause?: unknown): VigilError =>
  new VigilError('E_PROMETHEUS_UNAVAILABLE', `Prometheus at ${c.display} is unavailable: ${why}`, true, { cause });

function hint(status: number): string {
  if (status === 401 || status === 403) return ' (check the auth options)';
  if (status === 404) return ' (check the URL: it should be the Prometheus base, e.g. http://host:9090)';
  return '';
}

function causeText(err: unknown): string {
  // undici hides the reason (ECONNREFUSED, ENOTFOUND) in err.cause.
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export async function queryRange(c: Connection, r: RangeRequest, signal?: AbortSignal): Promise<Matrix> {
  signal?.throwIfAborted();
  const url = new URL('api/v1/query_range', c.base);
  url.searchParams.set('query', r.promql);
  url.searchParams.set('start', String(r.start));
  url.searchParams.set('end', String(r.end));
  url.searchParams.set('step', String(r.stepSeconds));
  // Let Prometheus give up evaluating when we stop waiting.
  url.searchParams.set('timeout', `${Math.max(1, Math.floor(c.timeoutMs / 1000))}s`);
  const timeout = AbortSignal.timeout(c.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const what = `query ${r.queryId} (${r.promql})`;
  let res: Response;
  let text: string;
  try {
    res = await c.fetch(url, { headers: c.headers, signal: combined });
    text = await res.text();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) throw unavailable(c, `no answer to ${what} within ${c.timeoutMs} ms`, err);
    throw unavailable(c, `${what}: ${causeText(err)}`, err);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (res.status >= 500 || res.status === 429) throw unavailable(c, `HTTP ${res.status} for ${what}`);
    throw new VigilError(
      'E_PROMETHEUS_RESPONSE',
      `Prometheus at ${c.display} answered ${what} with HTTP ${res.status}${hint(res.status)} and a body that is not JSON (starts ${JSON.stringify(text.slice(0, 80))})`,
    );
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    if (res.status >= 500 || res.status === 429) throw unavailable(c, `HTTP ${res.status} for ${what}`);
    throw new VigilError(
      'E_PROMETHEUS_RESPONSE',
      `Prometheus at ${c.display} answered ${what} with HTTP ${res.status} and an unexpected body: ${describeZod(parsed.error)}`,
    );
  }
  const data = parsed.data;
  if (data.status === 'error') {
    throw new VigilError(
      'E_PROMETHEUS_QUERY',
      `Prometheus at ${c.display} rejected ${what}: ${data.errorType}: ${data.error}`,
      retryableErrorType(data.errorType),
    );
  }
  return data.data.result;
}
