/**
 * POST /webhooks/eventbridge, /webhooks/argocd and /webhooks/alertmanager
 * over real HTTP on one embedded store: authentication, mapping, replay
 * protection, alerts on the open incident's timeline, and refusals that
 * store nothing.
 */
import { randomUUID } from 'node:crypto';
import { changeEventRoutes } from '../../src/changes/index.js';
import { VigilError, type Deployment } from '../../src/domain/index.js';
import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';
import { incident, uid } from '../store/fixtures.js';
import {
  ALERTMANAGER_TOKEN,
  ARGOCD_TOKEN,
  EVENTBRIDGE_SECRET,
  startChangeServers,
  type ChangeServers,
} from './change-servers.js';

let servers: ChangeServers;
beforeAll(async () => {
  servers = await startChangeServers();
});
afterAll(async () => {
  await servers.close();
});

function post(path: string, body: unknown, headers: Record<string, string>, base = servers.url) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /webhooks/eventbridge', () => {
  const send = (body: unknown, secret: string | null = EVENTBRIDGE_SECRET, base?: string) =>
    post('/webhooks/eventbridge', body, secret === null ? {} : { 'x-vigil-secret': secret }, base);

  function codeDeploy(deploymentId: string, state: string, time: string) {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      source: 'aws.codedeploy',
      account: '123456789012',
      time,
      region: 'us-east-2',
      resources: [],
      detail: { deploymentId, application: 'orders', deploymentGroup: 'blue-green', state },
    };
  }

  it('stores START then SUCCESS of one deploy as one record, and a late START does not undo it', async () => {
    expect((await send(codeDeploy('d-EB1', 'START', '2026-01-05T10:00:00Z'))).status).toBe(200);
    const done = await send(codeDeploy('d-EB1', 'SUCCESS', '2026-01-05T10:06:00Z'));
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ id: 'codedeploy-d-EB1', status: 'succeeded' });
    const expected = {
      id: 'codedeploy-d-EB1',
      service: 'orders',
      environment: 'blue-green',
      version: null,
      startedAt: Date.UTC(2026, 0, 5, 10),
      finishedAt: Date.UTC(2026, 0, 5, 10, 6),
      status: 'succeeded',
      actor: null,
      source: 'codedeploy',
      url: 'https://us-east-2.console.aws.amazon.com/codesuite/codedeploy/deployments/d-EB1?region=us-east-2',
      strategy: null,
    };
    expect(await servers.store.getDeployment('codedeploy-d-EB1')).toEqual(expected);
    // EventBridge does not promise order: a START delivered after the SUCCESS changes nothing.
    expect((await send(codeDeploy('d-EB1', 'START', '2026-01-05T10:00:00Z'))).status).toBe(200);
    expect(await servers.store.getDeployment('codedeploy-d-EB1')).toEqual(expected);
  });

  it('records a CloudWatch Alarm State Change as an alert', async () => {
    const service = `svc-${uid()}`;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: '2026-01-05T12:00:05Z',
      region: 'us-east-2',
      resources: [],
      detail: {
        alarmName: 'orders-latency',
        state: { value: 'OK', reason: 'back under threshold', timestamp: '2026-01-05T12:00:00.000+0000' },
        previousState: { value: 'ALARM' },
        configuration: {
          metrics: [
            { id: 'm1', metricStat: { metric: { namespace: 'AWS/ECS', name: 'Latency', dimensions: { service } } } },
          ],
        },
      },
    };
    const res = await send(event);
    expect(res.status).toBe(200);
    expect(await servers.store.listExternalEvents({ service })).toEqual([
      {
        id: `cloudwatch-orders-latency-OK-${Date.UTC(2026, 0, 5, 12)}`,
        source: 'cloudwatch',
        service,
        at: Date.UTC(2026, 0, 5, 12),
        kind: 'alert',
        status: 'resolved',
        title: 'orders-latency',
        detail: 'back under threshold',
        url: 'https://us-east-2.console.aws.amazon.com/cloudwatch/home?region=us-east-2#alarmsV2:alarm/orders-latency',
        labels: { alarmName: 'orders-latency', service, metric: 'Latency', namespace: 'AWS/ECS' },
      },
    ]);
  });

  it('answers 409 for an event id received before', async () => {
    const event = codeDeploy('d-EBREPLAY', 'START', '2026-01-05T10:00:00Z');
    expect((await send(event)).status).toBe(200);
    const again = await send({ ...event, detail: { ...event.detail, state: 'FAILURE' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'E_EVENTBRIDGE_REPLAY' });
    expect((await servers.store.getDeployment('codedeploy-d-EBREPLAY'))?.status).toBe('started');
  });

  it('answers 202 for a detail-type it does not track, storing nothing', async () => {
    const res = await send({
      ...codeDeploy('d-EBIGNORED', 'START', '2026-01-05T10:00:00Z'),
      'detail-type': 'AWS API Call via CloudTrail',
    });
    expect(res.status).toBe(202);
    expect(await servers.store.getDeployment('codedeploy-d-EBIGNORED')).toBeNull();
  });

  it('answers 401 for a wrong or missing secret and 403 when none is configured', async () => {
    const event = codeDeploy('d-EBAUTH', 'START', '2026-01-05T10:00:00Z');
    const wrong = await send(event, 'not-the-secret-at-all');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'E_EVENTBRIDGE_AUTH' });
    expect((await send(event, null)).status).toBe(401);
    const off = await send(event, EVENTBRIDGE_SECRET, servers.offUrl);
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ error: 'E_EVENTBRIDGE_DISABLED' });
    expect(await servers.store.getDeployment('codedeploy-d-EBAUTH')).toBeNull();
  });

  it.each([
    ['not json', 'body: not JSON'],
    [{ 'detail-type': 'CodeDeploy Deployment State-change Notification' }, 'id'],
    [{ ...codeDeploy('d-EBBAD', 'START', 'yesterday') }, 'time'],
    [
      {
        ...codeDeploy('d-EBBAD', 'START', '2026-01-05T10:00:00Z'),
        detail: { deploymentId: 'd-EBBAD', application: 'orders', state: 'START' },
      },
      'detail.deploymentGroup',
    ],
  ])('answers 400 naming the field (%#)', async (body, field) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'E_EVENTBRIDGE_INVALID', message: expect.stringContaining(field) });
    expect(await servers.store.getDeployment('codedeploy-d-EBBAD')).toBeNull();
  });
});

describe('POST /webhooks/argocd', () => {
  const send = (body: unknown, token: string | null = ARGOCD_TOKEN, base?: string) =>
    post('/webhooks/argocd', body, token === null ? {} : { authorization: `Bearer ${token}` }, base);

  function sync(phase: string, over: Record<string, string> = {}) {
    return {
      app: 'guestbook',
      project: 'default',
      revision: 'f00dbabe1234',
      operationId: '2026-01-05T09:00:00Z',
      phase,
      syncStatus: phase === 'Succeeded' ? 'Synced' : 'OutOfSync',
      healthStatus: 'Progressing',
      startedAt: '2026-01-05T09:00:00Z',
      finishedAt: phase === 'Running' ? '<no value>' : '2026-01-05T09:02:00Z',
      repoURL: 'https://github.com/acme/guestbook.git',
      author: 'Jane <jane@example.com>',
      namespace: 'guestbook-prod',
      url: 'https://argocd.example.com/applications/guestbook',
      ...over,
    };
  }

  it('stores a sync from Running to Succeeded as one deployment', async () => {
    const running = await send(sync('Running'));
    expect(running.status).toBe(200);
    expect(await running.json()).toEqual({ id: 'argocd-guestbook-f00dbabe1234', status: 'started' });
    expect((await send(sync('Succeeded'))).status).toBe(200);
    expect(await servers.store.getDeployment('argocd-guestbook-f00dbabe1234')).toEqual({
      id: 'argocd-guestbook-f00dbabe1234',
      service: 'guestbook-ui',
      environment: 'guestbook-prod',
      version: 'f00dbabe1234',
      startedAt: Date.UTC(2026, 0, 5, 9),
      finishedAt: Date.UTC(2026, 0, 5, 9, 2),
      status: 'succeeded',
      actor: 'Jane <jane@example.com>',
      source: 'argocd',
      url: 'https://argocd.example.com/applications/guestbook',
      strategy: null,
    });
  });

  it('keys a sync without a revision by its operation id, and maps Error to failed', async () => {
    const res = await send(
      sync('Error', { app: 'multi', revision: '<no value>', operationId: '2026-01-05T09:30:00Z' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'argocd-multi-2026-01-05T09:30:00Z', status: 'failed' });
  });

  it('answers 202 for a phase it does not track and 400 naming a missing field', async () => {
    expect((await send(sync('Terminating', { app: 'terminating' }))).status).toBe(202);
    const { app: _app, ...noApp } = sync('Running');
    const bad = await send(noApp);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'E_ARGOCD_INVALID', message: expect.stringContaining('app') });
    const noKey = await send(sync('Running', { app: 'nokey', revision: '', operationId: '<no value>' }));
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ message: expect.stringContaining('revision') });
    expect(await servers.store.listDeployments({ service: 'terminating' })).toEqual([]);
    expect(await servers.store.listDeployments({ service: 'nokey' })).toEqual([]);
  });

  it('answers 401 for a wrong token and 403 when none is configured', async () => {
    const wrong = await send(sync('Running', { app: 'unauth' }), 'wrong-token-0123456789');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'E_ARGOCD_AUTH' });
    const off = await send(sync('Running', { app: 'unauth' }), ARGOCD_TOKEN, servers.offUrl);
    expect(off.status).toBe(403);
    expect(await servers.store.listDeployments({ service: 'unauth' })).toEqual([]);
  });
});

describe('POST /webhooks/alertmanager', () => {
  const send = (body: unknown, token: string | null = ALERTMANAGER_TOKEN, base?: string) =>
    post('/webhooks/alertmanager', body, token === null ? {} : { authorization: `Bearer ${token}` }, base);

  function payload(service: string, job: string) {
    return {
      version: '4',
      groupKey: '{}:{alertname="HighLatency"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'vigil',
      groupLabels: { alertname: 'HighLatency' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example.com:9093',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighLatency', service, severity: 'page' },
          annotations: { summary: 'p99 latency above 500 ms', description: 'p99 is 812 ms' },
          startsAt: '2026-01-05T10:01:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.example.com/graph?g0.expr=x',
          fingerprint: `fp-${service}`,
        },
        {
          status: 'resolved',
          labels: { alertname: 'TargetDown', job },
          annotations: {},
          startsAt: '2026-01-05T09:00:00Z',
          endsAt: '2026-01-05T09:30:00Z',
          fingerprint: `fp-${job}`,
        },
      ],
    };
  }

  it('records every alert, appends new ones to the open incident once, and names services from service then job', async () => {
    const service = `svc-${uid()}`;
    const job = `job-${uid()}`;
    const { incident: open } = await servers.store.openOrGetIncident(incident(service));
    const res = await send(payload(service, job));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, new: 2, incidents: [open.id] });
    expect(await servers.store.listExternalEvents({ service })).toEqual([
      {
        id: `alertmanager-fp-${service}-${Date.UTC(2026, 0, 5, 10, 1)}-firing`,
        source: 'alertmanager',
        service,
        at: Date.UTC(2026, 0, 5, 10, 1),
        kind: 'alert',
        status: 'firing',
        title: 'p99 latency above 500 ms',
        detail: 'p99 is 812 ms',
        url: 'http://prometheus.example.com/graph?g0.expr=x',
        labels: { alertname: 'HighLatency', service, severity: 'page' },
      },
    ]);
    expect(await servers.store.listExternalEvents({ service: job })).toEqual([
      expect.objectContaining({
        status: 'resolved',
        at: Date.UTC(2026, 0, 5, 9, 30),
        title: 'TargetDown',
        url: 'http://alertmanager.example.com:9093',
      }),
    ]);

    // Alertmanager re-sends a firing group every repeat_interval: nothing new, nothing appended twice.
    const again = await send(payload(service, job));
    expect(await again.json()).toEqual({ received: 2, new: 0, incidents: [] });
    const alerts = (await servers.store.timeline(open.id)).filter((t) => t.kind === 'alert');
    expect(alerts).toEqual([
      expect.objectContaining({ text: 'alertmanager alert p99 latency above 500 ms firing: p99 is 812 ms' }),
    ]);
  });

  it.each([
    [{ version: '3', status: 'firing', alerts: [] }, 'version'],
    [
      { ...payload('x', 'y'), alerts: [{ status: 'firing', labels: {}, startsAt: '2026-01-05T10:01:00Z' }] },
      'alerts[0].fingerprint',
    ],
    [
      {
        ...payload('x', 'y'),
        alerts: [{ status: 'resolved', labels: {}, startsAt: '2026-01-05T10:01:00Z', fingerprint: 'f' }],
      },
      'alerts[0].endsAt',
    ],
  ])('answers 400 naming the field (%#), storing nothing', async (body, field) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'E_ALERTMANAGER_INVALID', message: expect.stringContaining(field) });
    expect(await servers.store.listExternalEvents({ service: 'x' })).toEqual([]);
  });

  it('answers 401 for a missing token and 403 when none is configured', async () => {
    const missing = await send(payload('authsvc', 'authjob'), null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'E_ALERTMANAGER_AUTH' });
    expect((await send(payload('authsvc', 'authjob'), ALERTMANAGER_TOKEN, servers.offUrl)).status).toBe(403);
    expect(await servers.store.listExternalEvents({ service: 'authsvc' })).toEqual([]);
  });
});

describe('a store failure while handling', () => {
  it('answers 503 (never 4xx), stores nothing, and releases the delivery so the retry is accepted', async () => {
    let failures = 1;
    const flaky = {
      ...servers.store,
      async upsertDeployment(d: Deployment) {
        if (failures-- > 0) throw new VigilError('E_STORE_UNAVAILABLE', 'store: connection lost', true);
        return servers.store.upsertDeployment(d);
      },
    };
    const app = await createHttpServer({
      log: silentLogger(),
      metrics: createMetrics(false),
      checks: [],
      plugins: [
        changeEventRoutes({
          store: flaky,
          snsTopicArns: [],
          eventBridgeSecret: EVENTBRIDGE_SECRET,
          argocdToken: null,
          alertmanagerToken: null,
        }),
      ],
    });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'CodeDeploy Deployment State-change Notification',
        source: 'aws.codedeploy',
        time: '2026-01-05T10:00:00Z',
        region: 'us-east-2',
        detail: { deploymentId: 'd-FLAKY', application: 'orders', deploymentGroup: 'g', state: 'START' },
      };
      const failed = await post('/webhooks/eventbridge', event, { 'x-vigil-secret': EVENTBRIDGE_SECRET }, base);
      expect(failed.status).toBe(503);
      expect(await failed.json()).toEqual({
        error: 'E_STORE_UNAVAILABLE',
        message: 'temporarily unavailable: retry later',
      });
      expect(await servers.store.getDeployment('codedeploy-d-FLAKY')).toBeNull();
      expect((await post('/webhooks/eventbridge', event, { 'x-vigil-secret': EVENTBRIDGE_SECRET }, base)).status).toBe(
        200,
      );
      expect(await servers.store.getDeployment('codedeploy-d-FLAKY')).toMatchObject({ status: 'started' });
    } finally {
      await app.close();
    }
  });
});
