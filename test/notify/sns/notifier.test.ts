/**
 * The SNS notifier against aws-sdk-client-mock: the exact Publish input for
 * each incident event and a verdict, FIFO ids, and how failures map to
 * retryable or not.
 */
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsNotifier, type SnsNotifierOptions } from '../../../src/notify/sns/index.js';
import { deploy, event, FIFO_TOPIC, opened, T0, TOPIC, verdictEvent } from './events.js';

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

function notifier(over: Partial<SnsNotifierOptions> = {}) {
  const warnings: object[] = [];
  const n = createSnsNotifier({
    client: new SNSClient({ region: 'eu-west-1' }),
    topicArn: TOPIC,
    log: { warn: (o) => warnings.push(o) },
    ...over,
  });
  return { n, warnings };
}

function published(i = 0): PublishCommandInput {
  const call = sns.commandCalls(PublishCommand)[i];
  if (!call) throw new Error(`no Publish call #${i}`);
  return call.args[0].input;
}
/** The published document, as far as these tests read it. */
interface Doc {
  version: number;
  type: string;
  summary: string;
  incident: { services: string[]; severity: string; status: string; resolvedAt: string | null };
  suspect: unknown;
  attribution: unknown;
  playbook: unknown;
  url?: string;
  timeline: Array<{ kind: string }>;
  timelineOmitted: number;
  verdict: unknown;
  deployment: unknown;
}
const body = (input: PublishCommandInput) => JSON.parse(input.Message ?? '') as Doc;
const attrs = (severity: string, service: string, type: string) => ({
  severity: { DataType: 'String', StringValue: severity },
  service: { DataType: 'String', StringValue: service },
  type: { DataType: 'String', StringValue: type },
});

describe('incident events', () => {
  it('publishes an opened incident: subject, attributes and the JSON document field by field', async () => {
    const { n } = notifier({ incidentUrl: (id) => `https://vigil.example.com/incidents/${id}` });
    const res = await n.send(event({ playbook: { name: 'rollback', title: 'Roll back the last deploy' } }));

    expect(res).toEqual({ ok: true, ref: 'msg-1' });
    expect(n.name).toBe('sns');
    const input = published();
    expect(input).toEqual({
      TopicArn: TOPIC,
      Subject: 'Vigil: OPENED [high] checkout - latency_p99 level shift',
      Message: expect.any(String),
      MessageAttributes: attrs('high', 'checkout', 'incident.opened'),
    });
    const doc = body(input);
    expect(Object.keys(doc).slice(0, 3)).toEqual(['version', 'type', 'summary']);
    expect(doc['version']).toBe(1);
    expect(doc['type']).toBe('incident.opened');
    expect(doc['summary']).toBe(
      '[high] checkout: latency_p99 level shift: 900 vs expected 120 (+650%), band 80..160; suspect deploy dep-42 (v42), 82%',
    );
    expect(doc['incident']).toEqual({
      id: 'inc_checkout_1',
      service: 'checkout',
      services: ['checkout'],
      servicesOmitted: 0,
      severity: 'high',
      status: 'open',
      acknowledged: null,
      openedAt: '2026-01-05T10:00:00.000Z',
      lastAnomalyAt: '2026-01-05T10:02:00.000Z',
      resolvedAt: null,
      anomalyCount: 4,
      headline: {
        metric: 'latency_p99',
        series: 'sim:latency_p99{service="checkout"}',
        kind: 'level_shift',
        at: '2026-01-05T10:00:00.000Z',
        observed: 900,
        expected: 120,
        band: [80, 160],
        score: 0.97,
        text: 'latency_p99 level shift: 900 vs expected 120 (+650%), band 80..160',
      },
      series: ['sim:latency_p99{service="checkout"}'],
      seriesOmitted: 0,
    });
    expect(doc['suspect']).toEqual({
      deploymentId: 'dep-42',
      version: 'v42',
      startedAt: '2026-01-05T09:56:00.000Z',
      url: 'https://ci.example.com/runs/42',
      confidence: 0.82,
      reason: 'checkout v42 started 4 min before onset',
    });
    expect(doc['attribution']).toBeNull();
    expect(doc['playbook']).toEqual({ name: 'rollback', title: 'Roll back the last deploy' });
    expect(doc['url']).toBe('https://vigil.example.com/incidents/inc_checkout_1');
    expect(doc['timeline']).toEqual([
      { at: '2026-01-05T10:00:00.000Z', kind: 'opened', text: 'opened: latency_p99 level shift' },
    ]);
    expect(doc['timelineOmitted']).toBe(0);
    // Email readers get an indented document, not one long line.
    expect(input.Message).toContain('\n  "summary": ');
  });

  it('publishes an update with the linked services, no suspect and the new timeline entries', async () => {
    const { n } = notifier();
    const timeline = [opened, { at: T0 + 300_000, kind: 'escalated' as const, text: 'severity high -> critical' }];
    await n.send(
      event(
        { kind: 'updated', timeline, suspect: null },
        {
          severity: 'critical',
          services: ['checkout', 'payments'],
          suspect: null,
          attribution: 'no deploy suspected: no deploy within 2h before onset',
        },
      ),
    );

    const input = published();
    expect(input.Subject).toBe('Vigil: UPDATED [critical] checkout - latency_p99 level shift');
    expect(input.MessageAttributes).toEqual(attrs('critical', 'checkout', 'incident.updated'));
    const doc = body(input);
    expect(doc['type']).toBe('incident.updated');
    expect(doc['summary']).toBe(
      '[critical] checkout: latency_p99 level shift: 900 vs expected 120 (+650%), band 80..160; no deploy suspected',
    );
    expect(doc['incident'].services).toEqual(['checkout', 'payments']);
    expect(doc['incident'].severity).toBe('critical');
    expect(doc['suspect']).toBeNull();
    expect(doc['attribution']).toBe('no deploy suspected: no deploy within 2h before onset');
    expect(doc['url']).toBeUndefined();
    expect(doc['timeline'].map((t) => t.kind)).toEqual(['opened', 'escalated']);
  });

  it('publishes a resolution with how long the incident was open', async () => {
    const { n } = notifier();
    await n.send(event({ kind: 'resolved' }, { status: 'resolved', resolvedAt: T0 + 720_000 }));

    const input = published();
    expect(input.Subject).toBe('Vigil: RESOLVED [high] checkout - latency_p99 after 12m');
    expect(input.MessageAttributes).toEqual(attrs('high', 'checkout', 'incident.resolved'));
    const doc = body(input);
    expect(doc['type']).toBe('incident.resolved');
    expect(doc['summary']).toBe(
      '[high] checkout resolved after 12m and 4 anomalies; worst: latency_p99 level shift: 900 vs expected 120 (+650%), band 80..160',
    );
    expect(doc['incident'].status).toBe('resolved');
    expect(doc['incident'].resolvedAt).toBe('2026-01-05T10:12:00.000Z');
  });

  it('sends no FIFO ids to a standard topic', async () => {
    await notifier().n.send(event());
    expect(published()).not.toHaveProperty('MessageGroupId');
    expect(published()).not.toHaveProperty('MessageDeduplicationId');
  });
});

describe('deploy verdicts', () => {
  it('publishes a verdict with its outcome as an attribute and a severity for filter policies', async () => {
    const { n } = notifier();
    const res = await n.sendVerdict?.(verdictEvent);

    expect(res).toEqual({ ok: true, ref: 'msg-1' });
    const input = published();
    expect(input).toEqual({
      TopicArn: TOPIC,
      Subject: 'Vigil: deploy FAIL checkout v42 - fail: p99 latency rose 7.5x (p<0.001)',
      Message: expect.any(String),
      MessageAttributes: {
        ...attrs('high', 'checkout', 'deploy.verdict'),
        outcome: { DataType: 'String', StringValue: 'fail' },
      },
    });
    const doc = body(input);
    expect(doc['version']).toBe(1);
    expect(doc['type']).toBe('deploy.verdict');
    expect(doc['summary']).toBe('deploy dep-42 (v42) of checkout: fail: p99 latency rose 7.5x (p<0.001)');
    expect(doc['verdict']).toEqual({
      deploymentId: 'dep-42',
      service: 'checkout',
      outcome: 'fail',
      severity: 'high',
      decidedAt: '2026-01-05T10:30:00.000Z',
      summary: 'fail: p99 latency rose 7.5x (p<0.001)',
      shifts: [
        {
          metric: 'latency_p99',
          series: 'sim:latency_p99{service="checkout"}',
          beforeMedian: 120,
          afterMedian: 900,
          beforeCount: 30,
          afterCount: 30,
          pValue: 0.0004,
          effect: 0.9,
          moved: true,
          worse: true,
        },
      ],
      shiftsOmitted: 0,
    });
    expect(doc['deployment']).toEqual({
      id: 'dep-42',
      service: 'checkout',
      environment: 'prod',
      version: 'v42',
      startedAt: '2026-01-05T09:56:00.000Z',
      finishedAt: null,
      status: 'succeeded',
      actor: 'ci',
      source: 'api',
      url: 'https://ci.example.com/runs/42',
      strategy: null,
    });
  });

  it('gives a passing deploy low severity', async () => {
    await notifier().n.sendVerdict?.({
      ...verdictEvent,
      verdict: { ...verdictEvent.verdict, outcome: 'pass', summary: 'pass: nothing moved' },
    });
    expect(published().MessageAttributes?.['severity']).toEqual({ DataType: 'String', StringValue: 'low' });
    expect(published().MessageAttributes?.['outcome']).toEqual({ DataType: 'String', StringValue: 'pass' });
  });
});

describe('FIFO topics', () => {
  it('groups by service and deduplicates by incident, kind, last anomaly and timeline length', async () => {
    const { n } = notifier({ topicArn: FIFO_TOPIC });
    await n.send(event());
    await n.send(event());
    await n.send(
      event({ kind: 'updated', timeline: [opened, { at: T0 + 60_000, kind: 'ack', text: 'acknowledged by ana' }] }),
    );

    expect(published(0)).toMatchObject({
      TopicArn: FIFO_TOPIC,
      MessageGroupId: 'checkout',
      MessageDeduplicationId: `inc_checkout_1:opened:${T0 + 120_000}:1`,
    });
    // A retry of the same event repeats its id, so SNS delivers it once.
    expect(published(1).MessageDeduplicationId).toBe(published(0).MessageDeduplicationId);
    expect(published(2).MessageDeduplicationId).toBe(`inc_checkout_1:updated:${T0 + 120_000}:2`);
  });

  it('gives verdicts their own deduplication id', async () => {
    await notifier({ topicArn: FIFO_TOPIC }).n.sendVerdict?.(verdictEvent);
    expect(published()).toMatchObject({
      MessageGroupId: 'checkout',
      MessageDeduplicationId: `verdict:dep-42:${T0 + 1_800_000}`,
    });
  });

  it('keeps ids within 128 allowed characters for odd and very long services', async () => {
    const service = `säle ${'x'.repeat(300)}`;
    await notifier({ topicArn: FIFO_TOPIC }).n.send(event({}, { service, id: `inc_${'y'.repeat(200)}` }));
    const input = published();
    for (const id of [input.MessageGroupId, input.MessageDeduplicationId]) {
      expect(id).toMatch(/^[\x21-\x7E]{1,128}$/);
    }
  });
});

describe('failures', () => {
  const fail = (name: string, status: number | undefined, message = 'boom') =>
    sns.on(PublishCommand).rejects(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } }));

  it('says throttling is retryable', async () => {
    fail('ThrottledException', 400, 'Rate exceeded');
    const { n, warnings } = notifier();
    const res = await n.send(event());
    expect(res).toEqual({
      ok: false,
      retryable: true,
      error: expect.stringContaining(`SNS throttled Publish to ${TOPIC}`),
    });
    expect(warnings).toEqual([expect.objectContaining({ incident: 'inc_checkout_1', retryable: true })]);
  });

  it('says an internal error, a 5xx and a network failure are retryable', async () => {
    const { n } = notifier();
    fail('InternalErrorException', 500);
    expect(await n.send(event())).toMatchObject({ ok: false, retryable: true });
    fail('ServiceUnavailable', 503);
    expect(await n.send(event())).toMatchObject({ ok: false, retryable: true });
    sns.on(PublishCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await n.send(event())).toMatchObject({ ok: false, retryable: true });
  });

  it('says AuthorizationError is not retryable, names the topic and the permission, and drops the key id', async () => {
    fail(
      'AuthorizationErrorException',
      403,
      'User: arn:aws:iam::123456789012:user/AKIAABCDEFGHIJKLMNOP is not authorized',
    );
    const res = await notifier().n.send(event());
    expect(res).toMatchObject({ ok: false, retryable: false });
    if (res.ok) throw new Error('expected a failure');
    expect(res.error).toContain(TOPIC);
    expect(res.error).toContain('sns:Publish');
    expect(res.error).not.toContain('AKIA');
  });

  it('says a missing topic and a rejected parameter are not retryable', async () => {
    const { n } = notifier();
    fail('NotFoundException', 404, 'Topic does not exist');
    const missing = await n.sendVerdict?.(verdictEvent);
    expect(missing).toEqual({
      ok: false,
      retryable: false,
      error: expect.stringContaining(`SNS topic ${TOPIC} was not found`),
    });
    fail('InvalidParameterException', 400, 'Invalid parameter: Subject');
    expect(await n.send(event())).toEqual({
      ok: false,
      retryable: false,
      error: `SNS rejected the message for ${TOPIC} (InvalidParameterException): Invalid parameter: Subject`,
    });
  });

  it('names the deployment when a verdict fails to publish', async () => {
    fail('ThrottledException', 400);
    const { n, warnings } = notifier();
    await n.sendVerdict?.(verdictEvent);
    expect(warnings).toEqual([expect.objectContaining({ deployment: deploy.id, outcome: 'fail', retryable: true })]);
  });
});
