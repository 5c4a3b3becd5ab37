/**
 * POST /webhooks/sns over real HTTP, with messages signed the way SNS signs
 * them (RSA key and certificate made by openssl) and the signing certificate
 * served over real HTTPS on 127.0.0.1, trusted through the route's
 * code-only options (host pattern and CA).
 */
import { randomUUID } from 'node:crypto';
import { incident } from '../store/fixtures.js';
import { startChangeServers, TOPIC, type ChangeServers } from './change-servers.js';
import { startFakeSns, type FakeSns } from './sns-fake.js';

let sns: FakeSns;
let servers: ChangeServers;

beforeAll(async () => {
  sns = await startFakeSns();
  servers = await startChangeServers({ sns: { certificateHosts: /^127\.0\.0\.1$/, ca: sns.cert } });
});
afterAll(async () => {
  await servers.close();
  await sns.close();
});

type Fields = Record<string, string>;

function notification(message: unknown, over: Fields = {}): Fields {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: TOPIC,
    Subject: 'AWS Notification',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    SigningCertURL: `${sns.base}/SimpleNotificationService-test.pem`,
    UnsubscribeURL: `${sns.base}/unsubscribe`,
    ...over,
  };
}

/** Signs `fields` (version from SignatureVersion) unless a Signature is given. */
function signed(fields: Fields): Fields {
  const { Signature, ...rest } = fields;
  return { ...rest, Signature: Signature ?? sns.sign(rest, fields.SignatureVersion === '2' ? '2' : '1') };
}

function post(body: unknown, o: { raw?: string; base?: string } = {}) {
  const b = body as Fields;
  return fetch(`${o.base ?? servers.url}/webhooks/sns`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': b.Type ?? 'Notification' },
    body: o.raw ?? JSON.stringify(body),
  });
}

function codeDeploy(deploymentId: string, state: string, time = '2026-01-05T10:00:00Z') {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CodeDeploy Deployment State-change Notification',
    source: 'aws.codedeploy',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: [],
    detail: {
      account: '123456789012',
      region: 'eu-west-1',
      deploymentId,
      instanceGroupId: 'ig-1',
      deploymentGroup: 'prod-fleet',
      state,
      application: 'billing-app',
    },
  };
}

const certGets = (path: string) => sns.gets.filter((g) => g === path).length;

describe('POST /webhooks/sns: notifications', () => {
  it('stores a CodeDeploy event signed with SignatureVersion 1 (SHA1withRSA)', async () => {
    const res = await post(signed(notification(codeDeploy('d-V1SIGNED', 'START'))));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'codedeploy-d-V1SIGNED', status: 'started' });
    expect(await servers.store.getDeployment('codedeploy-d-V1SIGNED')).toMatchObject({
      service: 'billing',
      environment: 'prod-fleet',
      status: 'started',
      startedAt: Date.UTC(2026, 0, 5, 10),
      finishedAt: null,
      source: 'codedeploy',
    });
  });

  it('stores a CodePipeline event signed with SignatureVersion 2 (SHA256withRSA), without a Subject', async () => {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CodePipeline Pipeline Execution State Change',
      source: 'aws.codepipeline',
      account: '123456789012',
      time: '2026-01-05T11:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: { pipeline: 'web-pipeline', 'execution-id': 'e-42', state: 'SUCCEEDED', version: 3 },
    };
    const { Subject: _omitted, ...fields } = notification(event, { SignatureVersion: '2' });
    const res = await post(signed(fields));
    expect(res.status).toBe(200);
    expect(await servers.store.getDeployment('codepipeline-web-pipeline-e-42')).toMatchObject({
      service: 'web',
      status: 'succeeded',
      finishedAt: Date.UTC(2026, 0, 5, 11),
      source: 'codepipeline',
    });
  });

  it('records a native CloudWatch alarm message and adds it to the open incident of its service', async () => {
    const service = `svc-${randomUUID().slice(0, 8)}`;
    const { incident: open } = await servers.store.openOrGetIncident(incident(service));
    const alarm = {
      AlarmName: `${service}-5xx`,
      AlarmDescription: null,
      AWSAccountId: '123456789012',
      NewStateValue: 'ALARM',
      NewStateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
      StateChangeTime: '2026-01-05T10:03:00.000+0000',
      Region: 'EU (Ireland)',
      OldStateValue: 'OK',
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${service}-5xx`,
      Trigger: {
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Dimensions: [{ name: 'ServiceName', value: service }],
      },
    };
    const res = await post(signed(notification(alarm)));
    expect(res.status).toBe(200);
    const id = `cloudwatch-${service}-5xx-ALARM-${Date.UTC(2026, 0, 5, 10, 3)}`;
    expect(await res.json()).toEqual({ id, new: true, incident: open.id });
    expect(await servers.store.listExternalEvents({ service })).toEqual([
      expect.objectContaining({
        id,
        source: 'cloudwatch',
        status: 'firing',
        title: `${service}-5xx`,
        at: Date.UTC(2026, 0, 5, 10, 3),
        url: expect.stringContaining('https://eu-west-1.console.aws.amazon.com/cloudwatch/'),
      }),
    ]);
    const timeline = await servers.store.timeline(open.id);
    expect(timeline.filter((t) => t.kind === 'alert')).toEqual([
      expect.objectContaining({
        at: Date.UTC(2026, 0, 5, 10, 3),
        text: expect.stringContaining(`cloudwatch alert ${service}-5xx firing: Threshold Crossed`),
      }),
    ]);
  });

  it('answers 202 for a detail-type it does not track and stores nothing', async () => {
    const event = { ...codeDeploy('d-IGNORED', 'START'), 'detail-type': 'EC2 Instance State-change Notification' };
    const res = await post(signed(notification(event)));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      ignored: 'detail-type "EC2 Instance State-change Notification" is not tracked',
    });
    expect(await servers.store.getDeployment('codedeploy-d-IGNORED')).toBeNull();
  });

  it('fetches a signing certificate once and reuses it', async () => {
    const path = '/cached-cert.pem';
    for (const id of ['d-CACHE1', 'd-CACHE2']) {
      expect(
        (await post(signed(notification(codeDeploy(id, 'START'), { SigningCertURL: `${sns.base}${path}` })))).status,
      ).toBe(200);
    }
    expect(certGets(path)).toBe(1);
  });
});

describe('POST /webhooks/sns: refusals store nothing', () => {
  it('answers 401 for a wrong signature', async () => {
    const good = signed(notification(codeDeploy('d-TAMPERED', 'START')));
    const res = await post({ ...good, Message: JSON.stringify(codeDeploy('d-TAMPERED', 'FAILURE')) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'E_SNS_SIGNATURE', message: expect.stringContaining('Signature') });
    expect(await servers.store.getDeployment('codedeploy-d-TAMPERED')).toBeNull();
  });

  it('answers 401 for a v2 claim over a v1 signature', async () => {
    const v1 = signed(notification(codeDeploy('d-WRONGVERSION', 'START')));
    expect((await post({ ...v1, SignatureVersion: '2' })).status).toBe(401);
  });

  it('refuses a certificate URL on a host that is not SNS, without fetching it', async () => {
    const fields = notification(codeDeploy('d-EVILHOST', 'START'), {
      SigningCertURL: sns.base.replace('127.0.0.1', 'localhost') + '/evil-host.pem',
    });
    const res = await post(signed(fields));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: 'E_SNS_CERT_URL',
      message: expect.stringContaining('SigningCertURL'),
    });
    expect(certGets('/evil-host.pem')).toBe(0);
    expect(await servers.store.getDeployment('codedeploy-d-EVILHOST')).toBeNull();
  });

  it('refuses an http:// certificate URL, even on a trusted host', async () => {
    const fields = notification(codeDeploy('d-PLAINHTTP', 'START'), {
      SigningCertURL: `${sns.base.replace('https:', 'http:')}/plain.pem`,
    });
    const res = await post(signed(fields));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'E_SNS_CERT_URL' });
    expect(certGets('/plain.pem')).toBe(0);
  });

  it('answers 403 for a topic that is not configured, and when no topic is', async () => {
    const fields = notification(codeDeploy('d-OTHERTOPIC', 'START'), {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:someone-else',
    });
    const res = await post(signed(fields));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'E_SNS_TOPIC' });
    const off = await post(signed(notification(codeDeploy('d-OFF', 'START'))), { base: servers.offUrl });
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ error: 'E_SNS_DISABLED' });
    expect(await servers.store.getDeployment('codedeploy-d-OTHERTOPIC')).toBeNull();
    expect(await servers.store.getDeployment('codedeploy-d-OFF')).toBeNull();
  });

  it('answers 409 for a replayed MessageId', async () => {
    const first = signed(notification(codeDeploy('d-REPLAY', 'START')));
    expect((await post(first)).status).toBe(200);
    const again = await post(first);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'E_SNS_REPLAY' });
  });

  it('answers 401 for a message older than the accepted window', async () => {
    const res = await post(
      signed(notification(codeDeploy('d-STALE', 'START'), { Timestamp: '2020-01-01T00:00:00.000Z' })),
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'E_SNS_STALE' });
  });

  it.each([
    ['{"Type": "Notification",', 'body: not JSON'],
    [JSON.stringify({ Type: 'Publish' }), 'Type'],
  ])('answers 400 for a malformed body (%#)', async (raw, field) => {
    const res = await post({}, { raw });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'E_SNS_INVALID', message: expect.stringContaining(field) });
  });

  it.each(['MessageId', 'Signature', 'SigningCertURL', 'TopicArn', 'Timestamp'])(
    'answers 400 naming a missing %s',
    async (field) => {
      const fields = signed(notification(codeDeploy('d-MISSING', 'START')));
      delete fields[field];
      const res = await post(fields);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'E_SNS_INVALID', message: expect.stringContaining(field) });
    },
  );

  it('answers 400 naming the field of a signed event that is malformed, and accepts its corrected redelivery', async () => {
    const event = codeDeploy('d-BADDETAIL', 'START') as { detail: Record<string, unknown> };
    delete event.detail.deploymentId;
    const fields = notification(event);
    const res = await post(signed(fields));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'E_SNS_INVALID',
      message: expect.stringContaining('Message.detail.deploymentId'),
    });
    // The failed MessageId was released: the same id may arrive again.
    expect(
      (await post(signed({ ...fields, Message: JSON.stringify(codeDeploy('d-BADDETAIL', 'START')) }))).status,
    ).toBe(200);
  });
});

describe('POST /webhooks/sns: subscription confirmation', () => {
  function confirmation(token: string, over: Fields = {}): Fields {
    return {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: token,
      TopicArn: TOPIC,
      Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
      Timestamp: new Date().toISOString(),
      SubscribeURL: `${sns.base}/confirm?Action=ConfirmSubscription&Token=${token}`,
      SignatureVersion: '1',
      SigningCertURL: `${sns.base}/SimpleNotificationService-test.pem`,
      ...over,
    };
  }
  const confirmGets = (token: string) =>
    sns.gets.filter((g) => g.startsWith('/confirm') && g.endsWith(`Token=${token}`)).length;

  it('confirms a signed subscription by GET SubscribeURL', async () => {
    const res = await post(signed(confirmation('tok-good')));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ confirmed: TOPIC });
    expect(confirmGets('tok-good')).toBe(1);
  });

  it('does not confirm a mis-signed subscription', async () => {
    const good = signed(confirmation('tok-forged'));
    const res = await post({
      ...good,
      SubscribeURL: `${sns.base}/confirm?Action=ConfirmSubscription&Token=tok-forged-2`,
    });
    expect(res.status).toBe(401);
    expect(confirmGets('tok-forged')).toBe(0);
    expect(confirmGets('tok-forged-2')).toBe(0);
  });

  it('refuses a SubscribeURL that is not on an SNS host, without visiting it', async () => {
    const fields = confirmation('tok-elsewhere', {
      SubscribeURL: `${sns.base.replace('127.0.0.1', 'localhost')}/confirm?Token=tok-elsewhere`,
    });
    const res = await post(signed(fields));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: 'E_SNS_CERT_URL',
      message: expect.stringContaining('SubscribeURL'),
    });
    expect(confirmGets('tok-elsewhere')).toBe(0);
  });
});
