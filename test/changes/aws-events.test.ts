/** The pure mappings of change and alert events: EventBridge (CodeDeploy, CodePipeline, alarms), native alarms, SNS signing string. */
import {
  alarmFromNative,
  mapEventBridgeEvent,
  parseSnsMessage,
  snsStringToSign,
  trustedUrl,
  SNS_HOST,
} from '../../src/changes/index.js';

const T = '2026-01-05T10:00:00Z';
const MS = Date.UTC(2026, 0, 5, 10);

function event(detailType: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: 'e-1',
    'detail-type': detailType,
    source: 'aws.x',
    account: '1',
    time: T,
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}
const codeDeploy = (state: string, over: Record<string, unknown> = {}) =>
  event('CodeDeploy Deployment State-change Notification', {
    deploymentId: 'd-1',
    application: 'app',
    deploymentGroup: 'grp',
    state,
    ...over,
  });
const codePipeline = (state: string) =>
  event('CodePipeline Pipeline Execution State Change', { pipeline: 'pipe', 'execution-id': 'x-9', state });

describe('mapEventBridgeEvent', () => {
  it.each([
    ['START', 'started', null],
    ['READY', 'started', null],
    ['SUCCESS', 'succeeded', MS],
    ['FAILURE', 'failed', MS],
    ['STOP', 'stopped', MS],
  ])('CodeDeploy %s is %s', (state, status, finishedAt) => {
    expect(mapEventBridgeEvent(codeDeploy(state), {})).toEqual({
      kind: 'deployment',
      deployment: expect.objectContaining({ id: 'codedeploy-d-1', service: 'app', status, startedAt: MS, finishedAt }),
    });
  });

  it.each([
    ['STARTED', 'started'],
    ['RESUMED', 'started'],
    ['SUCCEEDED', 'succeeded'],
    ['FAILED', 'failed'],
    ['STOPPED', 'stopped'],
    ['CANCELED', 'stopped'],
    ['SUPERSEDED', 'stopped'],
  ])('CodePipeline %s is %s', (state, status) => {
    expect(mapEventBridgeEvent(codePipeline(state), {})).toEqual({
      kind: 'deployment',
      deployment: expect.objectContaining({
        id: 'codepipeline-pipe-x-9',
        service: 'pipe',
        status,
        source: 'codepipeline',
      }),
    });
  });

  it('takes the service from the map: application/group first, then application, then the name', () => {
    const service = (map: Record<string, string>) => {
      const m = mapEventBridgeEvent(codeDeploy('START'), map);
      return m.kind === 'deployment' ? m.deployment.service : m.kind;
    };
    expect(service({ 'app/grp': 'exact', app: 'loose' })).toBe('exact');
    expect(service({ 'app/other': 'exact', app: 'loose' })).toBe('loose');
    expect(service({})).toBe('app');
    const pipe = mapEventBridgeEvent(codePipeline('STARTED'), { pipe: 'web' });
    expect(pipe.kind === 'deployment' && pipe.deployment.service).toBe('web');
  });

  it('ignores states and detail-types it does not track', () => {
    expect(mapEventBridgeEvent(codeDeploy('WAITING'), {})).toEqual({
      kind: 'ignored',
      reason: 'CodeDeploy state WAITING is not tracked',
    });
    expect(mapEventBridgeEvent(event('Scheduled Event', {}), {}).kind).toBe('ignored');
  });

  it('names the bad field, with the prefix of where the event sat', () => {
    expect(mapEventBridgeEvent(codeDeploy('START', { application: '' }), {}, 'Message')).toEqual({
      kind: 'invalid',
      message: expect.stringMatching(/^Message\.detail\.application: /),
    });
    expect(mapEventBridgeEvent({ ...codeDeploy('START'), detail: 'x' }, {})).toEqual({
      kind: 'invalid',
      message: expect.stringMatching(/^detail: /),
    });
  });
});

describe('CloudWatch alarms', () => {
  const native = (state: string) => ({
    AlarmName: 'api-errors',
    NewStateValue: state,
    NewStateReason: 'Threshold Crossed',
    StateChangeTime: '2026-01-05T10:00:00.000+0000',
    AlarmArn: 'arn:aws:cloudwatch:eu-west-1:1:alarm:api-errors',
    Trigger: { MetricName: 'Errors', Namespace: 'App', Dimensions: [] },
  });
  const bridged = (state: string) =>
    event('CloudWatch Alarm State Change', {
      alarmName: 'api-errors',
      state: { value: state, reason: 'Threshold Crossed', timestamp: '2026-01-05T10:00:00.000+0000' },
    });

  it('gives one state change the same id from SNS and from EventBridge', () => {
    const a = alarmFromNative(native('ALARM'), 'Message');
    const b = mapEventBridgeEvent(bridged('ALARM'), {});
    expect(a).toEqual({
      kind: 'alert',
      event: expect.objectContaining({
        id: `cloudwatch-api-errors-ALARM-${MS}`,
        status: 'firing',
        service: 'api-errors',
        at: MS,
      }),
    });
    expect(b.kind === 'alert' && b.event.id).toBe(a.kind === 'alert' && a.event.id);
  });

  it('OK is resolved; INSUFFICIENT_DATA is ignored; the ServiceName dimension names the service', () => {
    expect(alarmFromNative(native('OK'), 'Message')).toMatchObject({ kind: 'alert', event: { status: 'resolved' } });
    expect(alarmFromNative(native('INSUFFICIENT_DATA'), 'Message').kind).toBe('ignored');
    const withDim = { ...native('ALARM'), Trigger: { Dimensions: [{ name: 'ServiceName', value: 'checkout' }] } };
    expect(alarmFromNative(withDim, 'Message')).toMatchObject({
      kind: 'alert',
      event: { service: 'checkout', labels: { ServiceName: 'checkout' } },
    });
  });

  it('names a bad field of a native message', () => {
    expect(alarmFromNative({ ...native('ALARM'), StateChangeTime: 'soon' }, 'Message')).toEqual({
      kind: 'invalid',
      message: expect.stringMatching(/^Message\.StateChangeTime: /),
    });
  });
});

describe('SNS envelope', () => {
  it('signs the documented fields in order, Subject only when present', () => {
    const base = {
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
      Message: 'hello',
      Timestamp: '2026-01-05T10:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'c2ln',
      SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/c.pem',
      UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
    };
    const plain = parseSnsMessage(base);
    const withSubject = parseSnsMessage({ ...base, Subject: 'hi' });
    if (!plain.ok || !withSubject.ok) throw new Error('fixture should parse');
    expect(snsStringToSign(plain.message)).toBe(
      'Message\nhello\nMessageId\nm-1\nTimestamp\n2026-01-05T10:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123456789012:t\nType\nNotification\n',
    );
    expect(snsStringToSign(withSubject.message)).toContain('MessageId\nm-1\nSubject\nhi\nTimestamp\n');
  });

  it('trusts only https URLs on SNS hosts', () => {
    expect(
      trustedUrl('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', SNS_HOST),
    ).not.toBeNull();
    expect(trustedUrl('https://sns.cn-north-1.amazonaws.com.cn/x.pem', SNS_HOST)).not.toBeNull();
    for (const bad of [
      'http://sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com.evil.com/x.pem',
      'https://evil.com/sns.us-east-1.amazonaws.com/x.pem',
      'https://user:pw@sns.us-east-1.amazonaws.com/x.pem',
      'https://s3.amazonaws.com/x.pem',
      'not a url',
    ])
      expect(trustedUrl(bad, SNS_HOST)).toBeNull();
  });
});
