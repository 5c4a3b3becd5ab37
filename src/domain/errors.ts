/**
 * An error a person can act on: a stable `code` for programs and a message
 * for people. Unknown errors are wrapped once, at the edge, with `wrapError`.
 *
 * Every code Vigil gives is listed here, by area, so a misspelt code fails to
 * compile. The same codes name refusals in HTTP answers (`{error, message}`);
 * test/domain/errors.test.ts checks that every `'E_...'` literal in src/ is
 * one of them. A new code goes in its area's list.
 */
export const VIGIL_ERROR_CODES = {
  /** Any folder: an unknown error wrapped at the edge; a run or incident asked for by id that does not exist. */
  general: ['E_UNEXPECTED', 'E_NOT_FOUND'],
  /** config/: a bad key, value or file (the CLI exits 2). */
  config: ['E_CONFIG'],
  /** cli/: bad command-line arguments. */
  cli: ['E_USAGE'],
  /** http/: an error that is not a VigilError (500), a readiness check that threw one. */
  http: ['E_INTERNAL', 'E_UNAVAILABLE'],
  /**
   * store/: the store's own failures. The HTTP server answers these 500, or
   * 503 when retryable, never 400 (isStoreCode).
   */
  store: [
    'E_STORE_CONFIG',
    'E_STORE_CONNECT',
    'E_STORE_LOCKED',
    'E_STORE_MIGRATION',
    'E_STORE_UNAVAILABLE',
    'E_STORE_CONFLICT',
    'E_STORE_NOT_FOUND',
    'E_STORE_QUERY',
  ],
  /** queue/: options, Redis, payloads, and a job's handler that threw a non-Error. */
  queue: [
    'E_QUEUE_CONFIG',
    'E_QUEUE_CONNECT',
    'E_QUEUE_UNAVAILABLE',
    'E_QUEUE_CLOSED',
    'E_QUEUE_PAYLOAD',
    'E_JOB_FAILED',
  ],
  /** sources/: a query no source serves, or whose params are wrong. */
  sources: ['E_SOURCE_UNKNOWN', 'E_SOURCE_QUERY'],
  /** sources/cloudwatch. */
  cloudwatch: [
    'E_CLOUDWATCH_OPTIONS',
    'E_CLOUDWATCH_QUERY',
    'E_CLOUDWATCH_AUTH',
    'E_CLOUDWATCH_REQUEST',
    'E_CLOUDWATCH_THROTTLED',
    'E_CLOUDWATCH_UNAVAILABLE',
    'E_CLOUDWATCH_BUDGET',
  ],
  /** sources/prometheus. */
  prometheus: ['E_PROMETHEUS_OPTIONS', 'E_PROMETHEUS_QUERY', 'E_PROMETHEUS_RESPONSE', 'E_PROMETHEUS_UNAVAILABLE'],
  /** sources/push: the push API's refusals (HTTP bodies), and a point older than its series' cursor. */
  push: ['E_PUSH_DISABLED', 'E_PUSH_AUTH', 'E_PUSH_INVALID', 'E_PUSH_TOO_LARGE', 'E_PUSH_LATE'],
  /** sources/replay. */
  replay: ['E_REPLAY_OPTIONS', 'E_REPLAY_QUERY', 'E_REPLAY_READ'],
  /** sources/simulator. */
  simulator: ['E_SIM_OPTIONS', 'E_SIM_QUERY', 'E_SIM_RANGE'],
  /** detect/: detector state that cannot be restored; a learned model's artifact that cannot be loaded. */
  detect: ['E_DETECTOR_STATE', 'E_MODEL_ARTIFACT'],
  /** pipeline.ts: scoring a pull job's points failed. */
  pipeline: ['E_SCORE'],
  /** notify/ and its stages: a delivery failed, or its incident or verdict is gone. */
  notify: ['E_NOTIFY_FAILED', 'E_NOTIFY_UNKNOWN_INCIDENT', 'E_NOTIFY_UNKNOWN_VERDICT'],
  /** notify/slack: the Slack receiver's refusals (HTTP bodies). */
  slack: ['E_SLACK_DISABLED', 'E_SLACK_NOT_READY', 'E_SLACK_SIGNATURE', 'E_SLACK_BODY'],
  /**
   * changes/: change-event intake. Per endpoint: DISABLED (403, not
   * configured), AUTH / SIGNATURE (401), INVALID (400), REPLAY (409, a
   * delivery already received).
   */
  changeEvents: [
    'E_DEPLOY_DISABLED',
    'E_DEPLOY_AUTH',
    'E_DEPLOY_INVALID',
    'E_GITHUB_DISABLED',
    'E_GITHUB_SIGNATURE',
    'E_GITHUB_INVALID',
    'E_GITHUB_REPLAY',
    'E_EVENTBRIDGE_DISABLED',
    'E_EVENTBRIDGE_AUTH',
    'E_EVENTBRIDGE_INVALID',
    'E_EVENTBRIDGE_REPLAY',
    'E_ARGOCD_DISABLED',
    'E_ARGOCD_AUTH',
    'E_ARGOCD_INVALID',
    'E_ALERTMANAGER_DISABLED',
    'E_ALERTMANAGER_AUTH',
    'E_ALERTMANAGER_INVALID',
  ],
  /** changes/: SNS messages (signature, certificate, topic, subscription) and the HTTPS fetch of certificates. */
  sns: [
    'E_SNS_DISABLED',
    'E_SNS_INVALID',
    'E_SNS_REPLAY',
    'E_SNS_TOPIC',
    'E_SNS_STALE',
    'E_SNS_SIGNATURE',
    'E_SNS_CERT_URL',
    'E_SNS_CERT_UNAVAILABLE',
    'E_SNS_CERTIFICATE',
    'E_SNS_CONFIRM',
    'E_HTTPS_GET',
  ],
  /**
   * remediate/ (and the store's one-active-run rule): refusals a person asking
   * for or deciding a run is shown (isRemediationCode).
   */
  remediation: [
    'E_REMEDIATION_OFF',
    'E_REMEDIATION_FORBIDDEN',
    'E_REMEDIATION_STATE',
    'E_REMEDIATION_PARAMS',
    'E_REMEDIATION_BUSY',
  ],
  /** backtest/. */
  backtest: ['E_BACKTEST_DEPLOYMENTS', 'E_BACKTEST_EMPTY'],
  /** bench/: arguments, data sets and the live pipeline benchmark. */
  bench: [
    'E_BENCH_ARGS',
    'E_BENCH_DETECTOR',
    'E_BENCH_PUSH',
    'E_BENCH_STALLED',
    'E_BENCH_WORKER',
    'E_NAB_DATA',
    'E_NAB_RESULTS',
    'E_NAB_SCORE',
    'E_KPI_DATA',
    'E_SCENARIO_TRUTH',
  ],
} as const;

export type ErrorArea = keyof typeof VIGIL_ERROR_CODES;
export type VigilErrorCode = (typeof VIGIL_ERROR_CODES)[ErrorArea][number];

const inArea = (area: ErrorArea) => {
  const codes = new Set<string>(VIGIL_ERROR_CODES[area]);
  return (code: string): boolean => codes.has(code);
};

/** The store's own failures (the `store` area): the HTTP server answers them 500, not 400. */
export const isStoreCode = inArea('store');
/** Remediation refusals (the `remediation` area): their message is for the person who asked. */
export const isRemediationCode = inArea('remediation');

export class VigilError extends Error {
  constructor(
    readonly code: VigilErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VigilError';
  }
}

export function wrapError(err: unknown, code: VigilErrorCode = 'E_UNEXPECTED'): VigilError {
  if (err instanceof VigilError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new VigilError(code, message, false, { cause: err });
}
