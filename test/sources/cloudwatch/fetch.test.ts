import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { SourceQuery } from '../../../src/sources/index.js';
import { createCloudWatchSourceFromQuery } from '../../../src/sources/cloudwatch/index.js';
import { MIN, T0, answer, client, cpu, cw, gmdInputs, source } from './helpers.js';

beforeEach(() => cw.reset());

const many = (n: number) => Array.from({ length: n }, (_, i) => cpu(`i-${String(i).padStart(5, '0')}`));

async function onlyQuery(src: ReturnType<typeof source>): Promise<SourceQuery> {
  const qs = await src.queries();
  expect(qs).toHaveLength(1);
  return qs[0]!;
}

describe('cloudwatch fetch', () => {
  it('asks for the period-aligned window, extended back by the late window, ascending', async () => {
    answer();
    const src = source({ queries: [cpu('i-1', { periodSeconds: 300, service: 'web' })], lateWindowSeconds: 600 });
    const q = await onlyQuery(src);
    const from = T0 + 17 * MIN + 12_345;
    const to = T0 + 43 * MIN + 999;
    const [series] = await src.fetch(q, { from, to });
    const [input] = gmdInputs();
    expect(input).toEqual({
      MetricDataQueries: [
        {
          Id: 'm0',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EC2',
              MetricName: 'CPUUtilization',
              Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }],
            },
            Period: 300,
            Stat: 'Average',
          },
        },
      ],
      // from - 10 min = 7m12s -> floored to 5m; to = 43m -> floored to 40m
      StartTime: new Date(T0 + 5 * MIN),
      EndTime: new Date(T0 + 40 * MIN),
      ScanBy: 'TimestampAscending',
    });
    expect(series!.ref).toEqual({
      key: 'cloudwatch:AWS/EC2/CPUUtilization:Average{InstanceId="i-1"}',
      source: 'cloudwatch',
      metric: 'AWS/EC2/CPUUtilization:Average',
      service: 'web',
      labels: { InstanceId: 'i-1' },
    });
    // the 5m bucket is before from - late (7m12s), so it is not returned
    expect(series!.points.map((p) => (p.t - T0) / MIN)).toEqual([10, 15, 20, 25, 30, 35]);
    expect(series!.ref.service).toBe('web');
  });

  it('defaults the service to the namespace', async () => {
    answer();
    const src = source({ queries: [cpu('i-1')] });
    const [s] = await src.fetch(await onlyQuery(src), { from: T0, to: T0 + 5 * MIN });
    expect(s!.ref.service).toBe('AWS/EC2');
  });

  it('splits more than 500 metrics into calls of at most 500, one series per metric', async () => {
    answer();
    const src = source({ queries: many(1201) });
    const q: SourceQuery = { ...(await src.queries())[0]!, id: 'all' };
    const all = (await src.queries()).flatMap((x) => (x.params as { metrics: unknown[] }).metrics);
    expect((await src.queries()).map((x) => (x.params as { metrics: unknown[] }).metrics.length)).toEqual([
      500, 500, 201,
    ]);
    const series = await src.fetch(
      { ...q, params: { ...q.params, metrics: all } },
      { from: T0 + 10 * MIN, to: T0 + 15 * MIN },
    );
    expect(gmdInputs().map((i) => i.MetricDataQueries!.length)).toEqual([500, 500, 201]);
    for (const input of gmdInputs())
      for (const mq of input.MetricDataQueries!) expect(mq.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    expect(new Set(gmdInputs().flatMap((i) => i.MetricDataQueries!.map((m) => m.Id))).size).toBe(1201);
    expect(series).toHaveLength(1201);
    expect(new Set(series.map((s) => s.ref.key)).size).toBe(1201);
    expect(series.every((s) => s.points.length === 10)).toBe(true);
  });

  it('follows NextToken and merges partial results per id', async () => {
    const src = source({ queries: [cpu('i-1'), cpu('i-2')], lateWindowSeconds: 0 });
    const q = await onlyQuery(src);
    const res = (id: string, mins: number[]) => ({
      Id: id,
      StatusCode: 'PartialData' as const,
      Timestamps: mins.map((m) => new Date(T0 + m * MIN)),
      Values: mins.map((m) => m * 10),
    });
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [res('m0', [0, 1]), res('m1', [0])], NextToken: 'page2' })
      .resolvesOnce({ MetricDataResults: [res('m0', [2]), res('m1', [1, 2])], NextToken: 'page3' })
      .resolvesOnce({ MetricDataResults: [{ ...res('m1', [3]), StatusCode: 'Complete' }] });
    const series = await src.fetch(q, { from: T0, to: T0 + 4 * MIN });
    const inputs = gmdInputs();
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 'page2', 'page3']);
    expect(inputs[1]).toEqual({ ...inputs[0], NextToken: 'page2' });
    // sorted by series key: i-1 is m0, i-2 is m1
    expect(series.map((s) => s.points.map((p) => p.v))).toEqual([
      [0, 10, 20],
      [0, 10, 20, 30],
    ]);
  });

  it('returns a late point that arrives inside the re-read window', async () => {
    const late = new Map<number, number>(); // minute -> value, what CloudWatch has so far
    answer((_q, start, end) =>
      [...late].map(([m, v]) => ({ t: T0 + m * MIN, v })).filter((p) => p.t >= start && p.t < end),
    );
    const src = source({ queries: [cpu('i-1')], lateWindowSeconds: 300 });
    const q = await onlyQuery(src);
    late.set(10, 1).set(12, 3);
    const first = await src.fetch(q, { from: T0 + 10 * MIN, to: T0 + 13 * MIN });
    expect(first[0]!.points).toEqual([
      { t: T0 + 10 * MIN, v: 1 },
      { t: T0 + 12 * MIN, v: 3 },
    ]);
    late.set(11, 2); // minute 11 was published after the first poll
    const second = await src.fetch(q, { from: T0 + 13 * MIN, to: T0 + 15 * MIN });
    expect(second[0]!.points.map((p) => (p.t - T0) / MIN)).toEqual([10, 11, 12]);
  });

  it('fetching [a,b) then [b,c) returns each point once, apart from the late window', async () => {
    answer();
    const src = source({ queries: [cpu('i-1')], lateWindowSeconds: 120 });
    const q = await onlyQuery(src);
    const [a, b, c] = [T0 + 60 * MIN, T0 + 70 * MIN, T0 + 80 * MIN];
    const one = (await src.fetch(q, { from: a, to: b }))[0]!.points.map((p) => p.t);
    const two = (await src.fetch(q, { from: b, to: c }))[0]!.points.map((p) => p.t);
    const overlap = two.filter((t) => one.includes(t));
    expect(overlap).toEqual([b - 2 * MIN, b - MIN]); // exactly the declared 120 s
    const union = [...new Set([...one, ...two])].sort((x, y) => x - y);
    expect(union).toEqual(Array.from({ length: 22 }, (_, i) => a - 2 * MIN + i * MIN));
    expect(two.every((t, i) => i === 0 || t > two[i - 1]!)).toBe(true);
  });

  it("returns the period still open at the previous fetch's end, though it starts before from (regression)", async () => {
    // Cursors are wall-clock times: [a, m) floors its end to 10m and leaves the 10m period open; [m, b)
    // must return it even with a late window shorter than m's offset into the period (here none).
    answer();
    const src = source({ queries: [cpu('i-1', { periodSeconds: 300 })], lateWindowSeconds: 0 });
    const q = await onlyQuery(src);
    const m = T0 + 12 * MIN + 30_000;
    const one = (await src.fetch(q, { from: T0, to: m }))[0]!.points.map((p) => (p.t - T0) / MIN);
    const two = (await src.fetch(q, { from: m, to: T0 + 30 * MIN }))[0]!.points.map((p) => (p.t - T0) / MIN);
    expect(one).toEqual([0, 5]);
    expect(two).toEqual([10, 15, 20, 25]);
  });

  it('refuses a fetch that would pass the hourly budget before calling AWS', async () => {
    answer();
    let now = T0;
    const src = source(
      { queries: many(300), budget: { metricsPerHour: 700, getMetricDataCallsPerHour: 10 } },
      { now: () => now },
    );
    const q = await onlyQuery(src);
    await src.fetch(q, { from: T0, to: T0 + 5 * MIN });
    await src.fetch(q, { from: T0, to: T0 + 5 * MIN });
    expect(gmdInputs()).toHaveLength(2);
    await expect(src.fetch(q, { from: T0, to: T0 + 5 * MIN })).rejects.toMatchObject({
      code: 'E_CLOUDWATCH_BUDGET',
      retryable: true,
      message: expect.stringContaining(
        '600 metrics requested in the last hour + 300 planned > budget.metricsPerHour 700',
      ),
    });
    expect(gmdInputs()).toHaveLength(2);
    now = T0 + 60 * MIN + 1; // the window slid past both calls
    await src.fetch(q, { from: T0, to: T0 + 5 * MIN });
    expect(gmdInputs()).toHaveLength(3);
  });

  it('counts calls against getMetricDataCallsPerHour', async () => {
    answer();
    const src = source({ queries: many(501), budget: { getMetricDataCallsPerHour: 1 } });
    const q: SourceQuery = {
      sourceId: 'cloudwatch',
      id: 'big',
      params: {
        periodSeconds: 60,
        lateWindowSeconds: 0,
        budget: {},
        metrics: (await src.queries()).flatMap((x) => (x.params as { metrics: unknown[] }).metrics),
      },
    };
    await expect(src.fetch(q, { from: T0, to: T0 + MIN })).rejects.toMatchObject({
      code: 'E_CLOUDWATCH_BUDGET',
      message: expect.stringContaining(
        '0 GetMetricData calls in the last hour + 2 planned > budget.getMetricDataCallsPerHour 1',
      ),
    });
    expect(cw.calls()).toHaveLength(0);
  });

  it('rejects params it cannot serve', async () => {
    const src = source({ queries: [cpu('i-1')] });
    await expect(
      src.fetch({ sourceId: 'cloudwatch', id: 'x', params: { periodSeconds: 60 } }, { from: T0, to: T0 + MIN }),
    ).rejects.toMatchObject({ code: 'E_CLOUDWATCH_QUERY' });
    await expect(
      src.fetch({ sourceId: 'prometheus', id: 'x', params: {} }, { from: T0, to: T0 + MIN }),
    ).rejects.toMatchObject({ code: 'E_CLOUDWATCH_QUERY' });
    expect(cw.calls()).toHaveLength(0);
  });
});

describe('createCloudWatchSourceFromQuery', () => {
  it('rebuilds a source that serves a query from its params alone', async () => {
    answer();
    const q = (await source({ queries: [cpu('i-1', { service: 'api' })], lateWindowSeconds: 60 }).queries())[0]!;
    const worker = createCloudWatchSourceFromQuery(JSON.parse(JSON.stringify(q)) as SourceQuery, { client: client() });
    const [s] = await worker.fetch(q, { from: T0 + 10 * MIN, to: T0 + 12 * MIN });
    expect(s!.ref.service).toBe('api');
    expect(s!.points.map((p) => (p.t - T0) / MIN)).toEqual([9, 10, 11]);
    expect(() => createCloudWatchSourceFromQuery({ sourceId: 'cloudwatch', id: 'x', params: {} })).toThrow(
      expect.objectContaining({ code: 'E_CLOUDWATCH_QUERY' }),
    );
  });
});
