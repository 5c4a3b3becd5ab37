/** Shared fakes for the CloudWatch tests: a mocked client (never any network) and a GetMetricData responder. */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type {
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { createCloudWatchSource } from '../../../src/sources/cloudwatch/index.js';
import type { CloudWatchDeps, CloudWatchOptions } from '../../../src/sources/cloudwatch/index.js';

export const MIN = 60_000;
/** 2024-01-01T00:00:00Z: on every period boundary. */
export const T0 = Date.UTC(2024, 0, 1);

export const cw = mockClient(CloudWatchClient);

export function client(): CloudWatchClient {
  return new CloudWatchClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'not-a-secret' },
  });
}

export function source(opts: CloudWatchOptions, deps: CloudWatchDeps = {}): ReturnType<typeof createCloudWatchSource> {
  return createCloudWatchSource(opts, { client: client(), sleep: async () => {}, random: () => 0.5, ...deps });
}

export type Data = (q: MetricDataQuery, start: number, end: number) => Array<{ t: number; v: number }>;

/** One point per period in [start, end), value = minutes since T0. */
export const everyPeriod: Data = (q, start, end) => {
  const p = (q.MetricStat?.Period ?? 60) * 1000;
  const out = [];
  for (let t = start; t < end; t += p) out.push({ t, v: (t - T0) / MIN });
  return out;
};

/** Answers GetMetricData from `data`, honouring StartTime/EndTime, like CloudWatch. */
export function answer(data: Data = everyPeriod): void {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput): Partial<GetMetricDataCommandOutput> => {
    const start = input.StartTime!.getTime();
    const end = input.EndTime!.getTime();
    return {
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
        const pts = data(q, start, end).filter((p) => p.t >= start && p.t < end);
        return {
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: pts.map((p) => new Date(p.t)),
          Values: pts.map((p) => p.v),
        };
      }),
    };
  });
}

export function gmdInputs(): GetMetricDataCommandInput[] {
  return cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
}

export const cpu = (
  instance: string,
  extra: Partial<CloudWatchOptions['queries'] extends (infer Q)[] | undefined ? Q : never> = {},
) => ({
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: { InstanceId: instance },
  statistic: 'Average',
  ...extra,
});
