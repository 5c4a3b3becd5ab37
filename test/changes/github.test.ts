/** The GitHub webhook over real HTTP with real HMAC signatures, on an embedded store. */
import { createHmac, randomUUID } from 'node:crypto';
import { deploymentRoutes } from '../../src/changes/index.js';
import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';
import type { Store } from '../../src/store/index.js';
import { startDeploymentServers, type DeploymentServers } from './servers.js';

const SECRET = 'gh-webhook-secret-0123456789';

let servers: DeploymentServers;
let store: Store;
let url: string;
let offUrl: string;

beforeAll(async () => {
  servers = await startDeploymentServers({ token: 'api-token-0123456789', githubSecret: SECRET });
  ({ store, url, offUrl } = servers);
});
afterAll(async () => {
  await servers.close();
});

const sign = (raw: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

interface SendOptions {
  event?: string;
  delivery?: string | null;
  signature?: string | null;
  contentType?: string;
  base?: string;
}

function send(raw: string, o: SendOptions = {}) {
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/json',
    'x-github-event': o.event ?? 'deployment_status',
  };
  const delivery = o.delivery === undefined ? randomUUID() : o.delivery;
  if (delivery !== null) headers['x-github-delivery'] = delivery;
  const signature = o.signature === undefined ? sign(raw) : o.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(`${o.base ?? url}/webhooks/github`, { method: 'POST', headers, body: raw });
}

function statusEvent(id: number, state: string, extra: { service?: string; updatedAt?: string } = {}) {
  return {
    action: 'created',
    deployment: {
      id,
      url: `https://api.github.com/repos/acme/checkout/deployments/${id}`,
      sha: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
      ref: 'main',
      task: 'deploy',
      environment: 'staging',
      created_at: '2026-01-05T10:00:00Z',
      updated_at: '2026-01-05T10:00:00Z',
      creator: { login: 'octocat', id: 1 },
      payload: extra.service ? { service: extra.service } : {},
    },
    deployment_status: {
      id: id * 10,
      state,
      target_url: '',
      log_url: `https://github.com/acme/checkout/actions/runs/${id}`,
      created_at: extra.updatedAt ?? '2026-01-05T10:01:00Z',
      updated_at: extra.updatedAt ?? '2026-01-05T10:01:00Z',
    },
    repository: { id: 7, name: 'checkout', full_name: 'acme/checkout' },
    sender: { login: 'octocat' },
  };
}

describe('POST /webhooks/github', () => {
  it('stores a verified deployment_status as a normalised deployment', async () => {
    // Pretty-printed on purpose: the signature covers these exact bytes, not a re-serialisation.
    const raw = JSON.stringify(statusEvent(101, 'success'), null, 2);
    const res = await send(raw);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'github-101', status: 'succeeded' });
    expect(await store.getDeployment('github-101')).toEqual({
      id: 'github-101',
      service: 'checkout',
      environment: 'staging',
      version: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
      startedAt: Date.UTC(2026, 0, 5, 10),
      finishedAt: Date.UTC(2026, 0, 5, 10, 1),
      status: 'succeeded',
      actor: 'octocat',
      source: 'github',
      url: 'https://github.com/acme/checkout/actions/runs/101',
      strategy: null,
    });
  });

  it('updates the same deployment when success follows in_progress', async () => {
    expect((await send(JSON.stringify(statusEvent(202, 'in_progress', { service: 'payments' })))).status).toBe(200);
    const started = await store.getDeployment('github-202');
    expect(started).toMatchObject({ status: 'started', finishedAt: null, service: 'payments' });
    const done = await send(
      JSON.stringify(statusEvent(202, 'success', { service: 'payments', updatedAt: '2026-01-05T10:07:00Z' })),
    );
    expect(done.status).toBe(200);
    expect(await store.getDeployment('github-202')).toMatchObject({
      status: 'succeeded',
      finishedAt: Date.UTC(2026, 0, 5, 10, 7),
      service: 'payments',
    });
    expect((await store.listDeployments({ service: 'payments' })).map((d) => d.id)).toEqual(['github-202']);
  });

  it.each([
    ['failure', 'failed'],
    ['error', 'failed'],
    ['queued', 'started'],
    ['pending', 'started'],
    ['inactive', 'stopped'],
  ])('maps state %s to %s', async (state, status) => {
    const id = 300 + ['failure', 'error', 'queued', 'pending', 'inactive'].indexOf(state);
    expect((await send(JSON.stringify(statusEvent(id, state)))).status).toBe(200);
    expect((await store.getDeployment(`github-${id}`))?.status).toBe(status);
  });

  it('answers 401 for a wrong signature and stores nothing', async () => {
    const raw = JSON.stringify(statusEvent(401, 'success'));
    expect((await send(raw, { signature: sign(raw, 'not-the-secret') })).status).toBe(401);
    // Signed bytes that differ from the bytes sent (one extra space) must fail too.
    expect((await send(raw, { signature: sign(`${raw} `) })).status).toBe(401);
    expect((await send(raw, { signature: 'sha256=zz' })).status).toBe(401);
    expect(await store.getDeployment('github-401')).toBeNull();
  });

  it('answers 401 for a missing signature and stores nothing', async () => {
    const res = await send(JSON.stringify(statusEvent(402, 'success')), { signature: null });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'E_GITHUB_SIGNATURE' });
    expect(await store.getDeployment('github-402')).toBeNull();
  });

  it('answers 409 for a replayed delivery without storing it again', async () => {
    const delivery = randomUUID();
    expect((await send(JSON.stringify(statusEvent(409, 'in_progress')), { delivery })).status).toBe(200);
    const replay = await send(JSON.stringify(statusEvent(409, 'failure')), { delivery });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ error: 'E_GITHUB_REPLAY' });
    expect((await store.getDeployment('github-409'))?.status).toBe('started');
  });

  it('accepts a redelivery of a delivery that failed', async () => {
    const delivery = randomUUID();
    const bad = statusEvent(410, 'success') as { deployment: Record<string, unknown> };
    delete bad.deployment.environment;
    expect((await send(JSON.stringify(bad), { delivery })).status).toBe(400);
    expect((await send(JSON.stringify(statusEvent(410, 'success')), { delivery })).status).toBe(200);
  });

  it('answers 200 to ping and 202 to other events, storing nothing', async () => {
    const ping = await send(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }), { event: 'ping' });
    expect(ping.status).toBe(200);
    const push = await send(JSON.stringify({ ref: 'refs/heads/main' }), { event: 'push' });
    expect(push.status).toBe(202);
    expect(await push.json()).toEqual({ ignored: 'push' });
  });

  it('accepts the form-encoded content type GitHub offers', async () => {
    const raw = new URLSearchParams({ payload: JSON.stringify(statusEvent(420, 'success')) }).toString();
    const res = await send(raw, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect((await store.getDeployment('github-420'))?.status).toBe('succeeded');
  });

  it.each([
    [
      'deployment_status.state',
      (e: ReturnType<typeof statusEvent>) => {
        e.deployment_status.state = 'exploded';
      },
    ],
    [
      'deployment.id',
      (e: ReturnType<typeof statusEvent>) => {
        (e.deployment as { id: unknown }).id = 'abc';
      },
    ],
    [
      'deployment.created_at',
      (e: ReturnType<typeof statusEvent>) => {
        e.deployment.created_at = 'yesterday';
      },
    ],
    [
      'deployment.payload.service',
      (e: ReturnType<typeof statusEvent>) => {
        e.deployment.payload = { service: 'two words' };
      },
    ],
    [
      'repository',
      (e: ReturnType<typeof statusEvent>) => {
        delete (e as { repository?: unknown }).repository;
      },
    ],
  ])('answers 400 naming %s for a malformed payload, storing nothing', async (field, mutate) => {
    const e = statusEvent(430, 'success');
    mutate(e);
    const res = await send(JSON.stringify(e));
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('E_GITHUB_INVALID');
    expect(json.message).toContain(field);
    expect(await store.getDeployment('github-430')).toBeNull();
  });

  it('answers 400 for signed bytes that are not JSON and for a missing delivery id', async () => {
    expect((await send('{"deployment": ')).status).toBe(400);
    const res = await send(JSON.stringify(statusEvent(431, 'success')), { delivery: null });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('X-GitHub-Delivery');
    expect(await store.getDeployment('github-431')).toBeNull();
  });

  it('answers 403 when no secret is configured', async () => {
    const res = await send(JSON.stringify(statusEvent(403, 'success')), { base: offUrl });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'E_GITHUB_DISABLED' });
    expect(await store.getDeployment('github-403')).toBeNull();
  });
});

describe('GitHub replay protection', () => {
  it('refuses a replayed delivery after a restart: the delivery log is in the store', async () => {
    const delivery = randomUUID();
    expect((await send(JSON.stringify(statusEvent(501, 'success')), { delivery })).status).toBe(200);
    const restarted = await createHttpServer({
      log: silentLogger(),
      metrics: createMetrics(false),
      checks: [],
      plugins: [deploymentRoutes({ store, token: null, githubSecret: SECRET })],
    });
    try {
      const base = await restarted.listen({ host: '127.0.0.1', port: 0 });
      const replay = await send(JSON.stringify(statusEvent(501, 'success')), { delivery, base });
      expect(replay.status).toBe(409);
      expect(await replay.json()).toMatchObject({ error: 'E_GITHUB_REPLAY' });
    } finally {
      await restarted.close();
    }
  });
});
