import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { MIN, T0, cpu, cw, gmdInputs, source } from './helpers.js';

beforeEach(() => cw.reset());

const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const ok = {
  MetricDataResults: [{ Id: 'm0', StatusCode: 'Complete' as const, Timestamps: [new Date(T0)], Values: [1] }],
};

describe('cloudwatch throttling and errors', () => {
  it('retries throttling with growing, jittered backoff, then succeeds', async () => {
    cw.on(GetMetricDataCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded', 400))
      .rejectsOnce(awsError('SomethingElse', 'Too Many Requests', 429))
      .resolvesOnce(ok);
    const sleeps: number[] = [];
    const src = source(
      { queries: [cpu('i-1')] },
      {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
        retry: { baseMs: 100, maxMs: 1000 },
      },
    );
    const [q] = await src.queries();
    const [s] = await src.fetch(q!, { from: T0, to: T0 + MIN });
    expect(s!.points).toEqual([{ t: T0, v: 1 }]);
    expect(gmdInputs()).toHaveLength(3);
    expect(gmdInputs()[2]).toEqual(gmdInputs()[0]);
    expect(sleeps).toEqual([50, 100]); // half of 100, half of 200
  });

  it('gives up after the last attempt with a retryable E_CLOUDWATCH_THROTTLED', async () => {
    cw.on(GetMetricDataCommand).rejects(awsError('LimitExceededException', 'slow down', 400));
    const src = source({ queries: [cpu('i-1')] }, { retry: { attempts: 3 } });
    const [q] = await src.queries();
    await expect(src.fetch(q!, { from: T0, to: T0 + MIN })).rejects.toMatchObject({
      code: 'E_CLOUDWATCH_THROTTLED',
      retryable: true,
      message: expect.stringContaining('after 3 attempts'),
    });
    expect(gmdInputs()).toHaveLength(3);
  });

  it('also retries throttled discovery', async () => {
    cw.on(ListMetricsCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded', 400))
      .resolves({ Metrics: [] });
    const src = source({ discovery: [{ namespace: 'AWS/EC2', statistic: 'Average' }] });
    expect(await src.queries()).toEqual([]);
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(2);
  });

  it('turns auth failures into a non-retryable error that prints no credentials', async () => {
    cw.on(GetMetricDataCommand).rejects(
      awsError('SignatureDoesNotMatch', 'Credential=AKIAFAKEFAKEFAKEFAKE/20240101/us-east-1 secret not-a-secret', 403),
    );
    const src = source({ queries: [cpu('i-1')] });
    const [q] = await src.queries();
    const err = (await src.fetch(q!, { from: T0, to: T0 + MIN }).catch((e: unknown) => e)) as {
      code: string;
      retryable: boolean;
      message: string;
    };
    expect(err).toMatchObject({ code: 'E_CLOUDWATCH_AUTH', retryable: false });
    expect(err.message).toContain('SignatureDoesNotMatch');
    expect(err.message).not.toMatch(/AKIA|not-a-secret/);
    expect(gmdInputs()).toHaveLength(1);
  });

  it('turns validation failures into a non-retryable error naming the problem', async () => {
    cw.on(GetMetricDataCommand).rejects(
      awsError('InvalidParameterValueException', 'The value p999 for parameter Stat is not valid.', 400),
    );
    const src = source({ queries: [cpu('i-1')] });
    const [q] = await src.queries();
    await expect(src.fetch(q!, { from: T0, to: T0 + MIN })).rejects.toMatchObject({
      code: 'E_CLOUDWATCH_REQUEST',
      retryable: false,
      message: expect.stringContaining('Stat is not valid'),
    });
  });

  it('stops backing off when the signal aborts', async () => {
    cw.on(GetMetricDataCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const ctl = new AbortController();
    const src = source(
      { queries: [cpu('i-1')] },
      {
        sleep: async () => {
          ctl.abort(new Error('shutting down'));
        },
      },
    );
    const [q] = await src.queries();
    await expect(src.fetch(q!, { from: T0, to: T0 + MIN }, ctl.signal)).rejects.toThrow('shutting down');
    expect(gmdInputs()).toHaveLength(1);
  });
});
