import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { Metric } from '@aws-sdk/client-cloudwatch';
import { MIN, T0, answer, cpu, cw, source } from './helpers.js';

beforeEach(() => cw.reset());

const metric = (instance: string, asg: string): Metric => ({
  Namespace: 'AWS/EC2',
  MetricName: 'CPUUtilization',
  Dimensions: [
    { Name: 'InstanceId', Value: instance },
    { Name: 'AutoScalingGroupName', Value: asg },
  ],
});
const listInputs = () => cw.commandCalls(ListMetricsCommand).map((c) => c.args[0].input);
const discovery = {
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensionFilters: { InstanceId: null, AutoScalingGroupName: 'web-asg' },
  statistic: 'p95',
  periodSeconds: 60,
  serviceFromDimension: 'AutoScalingGroupName',
};

describe('cloudwatch discovery', () => {
  it('lists every page with the configured filters and maps the service from a dimension', async () => {
    cw.on(ListMetricsCommand)
      .resolvesOnce({ Metrics: [metric('i-1', 'web-asg')], NextToken: 'next' })
      .resolvesOnce({ Metrics: [metric('i-2', 'web-asg')] });
    const src = source({ discovery: [discovery] });
    const qs = await src.queries();
    expect(listInputs()).toEqual([
      {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId' }, { Name: 'AutoScalingGroupName', Value: 'web-asg' }],
        RecentlyActive: 'PT3H',
      },
      {
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId' }, { Name: 'AutoScalingGroupName', Value: 'web-asg' }],
        RecentlyActive: 'PT3H',
        NextToken: 'next',
      },
    ]);
    expect(qs).toHaveLength(1);
    expect(qs[0]!.id).toBe('cloudwatch:60s:0');
    answer();
    const series = await src.fetch(qs[0]!, { from: T0, to: T0 + 2 * MIN });
    expect(series.map((s) => [s.ref.metric, s.ref.service, s.ref.labels.InstanceId])).toEqual([
      ['AWS/EC2/CPUUtilization:p95', 'web-asg', 'i-1'],
      ['AWS/EC2/CPUUtilization:p95', 'web-asg', 'i-2'],
    ]);
  });

  it('falls back to the namespace when the service dimension is missing, and omits RecentlyActive on request', async () => {
    cw.on(ListMetricsCommand).resolves({
      Metrics: [
        { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-9' }] },
      ],
    });
    const src = source({
      discovery: [
        {
          namespace: 'AWS/EC2',
          statistic: 'Average',
          serviceFromDimension: 'AutoScalingGroupName',
          recentlyActiveOnly: false,
        },
      ],
    });
    const [q] = await src.queries();
    expect(listInputs()).toEqual([{ Namespace: 'AWS/EC2' }]);
    const metrics = (q!.params as { metrics: Array<{ service: string }> }).metrics;
    expect(metrics.map((m) => m.service)).toEqual(['AWS/EC2']);
  });

  it('serves the cache within the interval and picks up a new instance after it', async () => {
    let now = T0;
    let fleet = [metric('i-1', 'web-asg')];
    cw.on(ListMetricsCommand).callsFake(() => ({ Metrics: fleet }));
    const src = source({ discovery: [discovery], discoveryIntervalSeconds: 600 }, { now: () => now });
    const instances = async () =>
      (await src.queries()).flatMap((q) =>
        (q.params as { metrics: Array<{ dimensions: Record<string, string> }> }).metrics.map(
          (m) => m.dimensions.InstanceId,
        ),
      );
    expect(await instances()).toEqual(['i-1']);
    fleet = [metric('i-1', 'web-asg'), metric('i-2', 'web-asg')];
    now += 599_999;
    expect(await instances()).toEqual(['i-1']);
    expect(listInputs()).toHaveLength(1);
    now += 1;
    expect(await instances()).toEqual(['i-1', 'i-2']);
    expect(listInputs()).toHaveLength(2);
  });

  it('keeps static queries first on the same series and shards by period', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: [metric('i-1', 'web-asg')] });
    const src = source({
      queries: [
        {
          ...cpu('i-1'),
          dimensions: { InstanceId: 'i-1', AutoScalingGroupName: 'web-asg' },
          statistic: 'p95',
          service: 'pinned',
        },
        cpu('i-7', { periodSeconds: 300 }),
      ],
      discovery: [discovery],
    });
    const qs = await src.queries();
    expect(qs.map((q) => q.id)).toEqual(['cloudwatch:60s:0', 'cloudwatch:300s:0']);
    const first = (qs[0]!.params as { metrics: Array<{ service: string; dimensions: Record<string, string> }> })
      .metrics;
    expect(first).toHaveLength(1);
    expect(first[0]!.service).toBe('pinned');
    expect(src.stepMs).toBe(60_000);
  });
});
