/**
 * The MetricSource conformance suite on CloudWatch, against aws-sdk-client-mock
 * answering GetMetricData like CloudWatch (one datapoint per period). The
 * documented re-read before `from`: the late window, and the period that was
 * still open when the previous fetch ended (fetch.ts).
 */
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { sourceConformance } from '../conformance.js';
import { MIN, T0, answer, cpu, cw, source } from './helpers.js';

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

function failures(opts: Parameters<typeof source>[0]) {
  return async () => {
    const [q] = await source(opts, { retry: { attempts: 2 } }).queries();
    const failing = (err: Error) => async () => {
      cw.reset();
      cw.on(GetMetricDataCommand).rejects(err);
      return source(opts, { retry: { attempts: 2 } }).fetch(q!, { from: T0 + 60 * MIN, to: T0 + 90 * MIN });
    };
    return [
      {
        name: 'throttled on every attempt (E_CLOUDWATCH_THROTTLED)',
        retryable: true,
        run: failing(awsError('ThrottlingException', 400)),
      },
      { name: 'a 503 (E_CLOUDWATCH_UNAVAILABLE)', retryable: true, run: failing(awsError('ServiceUnavailable', 503)) },
      {
        name: 'access denied (E_CLOUDWATCH_AUTH)',
        retryable: false,
        run: failing(awsError('AccessDeniedException', 403)),
      },
    ];
  };
}

for (const [name, periodSeconds, lateWindowSeconds] of [
  ['cloudwatch (default late window, 1 min periods)', 60, 300],
  ['cloudwatch (5 min periods, no late window)', 300, 0],
] as const) {
  const opts = {
    queries: [cpu('i-1', { periodSeconds }), cpu('i-2', { periodSeconds, service: 'web' })],
    lateWindowSeconds,
  };
  sourceConformance(
    name,
    async () => {
      cw.reset();
      answer();
      return { source: source(opts), range: { from: T0 + 60 * MIN + 12_345, to: T0 + 180 * MIN + 61_000 } };
    },
    { reReadMs: (lateWindowSeconds + periodSeconds) * 1000, failures: failures(opts) },
  );
}
