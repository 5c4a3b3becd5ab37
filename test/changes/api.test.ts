/** POST /api/v1/deployments over real HTTP on an embedded store. */
import { deploymentFromGithub, githubDeploymentStatusSchema } from '../../src/changes/index.js';
import type { Store } from '../../src/store/index.js';
import { startDeploymentServers, type DeploymentServers } from './servers.js';

const TOKEN = 'deploy-token-0123456789';
const NOW = Date.UTC(2026, 0, 5, 12);

let servers: DeploymentServers;
let store: Store;
let url: string;
let offUrl: string;

beforeAll(async () => {
  servers = await startDeploymentServers({ token: TOKEN, githubSecret: 'gh-secret', now: () => NOW });
  ({ store, url, offUrl } = servers);
});
afterAll(async () => {
  await servers.close();
});

const post = (body: unknown, token: string | null = TOKEN, base = url) =>
  fetch(`${base}/api/v1/deployments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('POST /api/v1/deployments', () => {
  it('stores a full body as a normalised deployment and answers 201 with its id', async () => {
    const res = await post({
      id: 'rel-42',
      service: 'checkout',
      environment: 'eu-prod',
      version: 'v1.4.2',
      startedAt: '2026-01-05T10:00:00Z',
      finishedAt: Date.UTC(2026, 0, 5, 10, 5),
      status: 'failed',
      actor: 'ci-bot',
      url: 'https://ci.example.com/runs/42',
      strategy: 'canary',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'rel-42' });
    expect(await store.getDeployment('rel-42')).toEqual({
      id: 'rel-42',
      service: 'checkout',
      environment: 'eu-prod',
      version: 'v1.4.2',
      startedAt: Date.UTC(2026, 0, 5, 10),
      finishedAt: Date.UTC(2026, 0, 5, 10, 5),
      status: 'failed',
      actor: 'ci-bot',
      source: 'api',
      url: 'https://ci.example.com/runs/42',
      strategy: 'canary',
    });
  });

  it('fills defaults for a minimal body', async () => {
    const res = await post({ service: 'orders' });
    expect(res.status).toBe(201);
    const id = `api-orders-${NOW}`;
    expect(await res.json()).toEqual({ id });
    expect(await store.getDeployment(id)).toEqual({
      id,
      service: 'orders',
      environment: 'production',
      version: null,
      startedAt: NOW,
      finishedAt: null,
      status: 'succeeded',
      actor: null,
      source: 'api',
      url: null,
      strategy: null,
    });
  });

  it('answers 401 for a missing or wrong token and stores nothing', async () => {
    const body = { service: 'sneaky' };
    expect((await post(body, null)).status).toBe(401);
    const res = await post(body, 'wrong-token-0123456789');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'E_DEPLOY_AUTH' });
    expect(await store.listDeployments({ service: 'sneaky' })).toEqual([]);
  });

  it.each([
    [{}, 'service'],
    [{ service: 'bad name' }, 'service'],
    [{ service: 'bad', status: 'done' }, 'status'],
    [{ service: 'bad', startedAt: 'yesterday' }, 'startedAt'],
    [{ service: 'bad', startedAt: NOW, finishedAt: NOW - 1 }, 'finishedAt'],
    [{ service: 'bad', url: 'javascript:alert(1)' }, 'url'],
    [{ service: 'bad', strategy: 'yolo' }, 'strategy'],
    [{ service: 'bad', colour: 'red' }, 'unknown field colour'],
  ])('answers 400 naming the field for %j, storing nothing', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; message: string };
    expect(json.error).toBe('E_DEPLOY_INVALID');
    expect(json.message).toContain(field);
    expect(await store.listDeployments({ service: 'bad' })).toEqual([]);
  });

  it('answers 403 when no token is configured', async () => {
    const res = await post({ service: 'orders' }, TOKEN, offUrl);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'E_DEPLOY_DISABLED' });
  });
});

describe('deploymentFromGithub', () => {
  it('takes a tag-like ref as the version, a branch ref falls back to the sha', () => {
    const event = (ref: string) =>
      githubDeploymentStatusSchema.parse({
        deployment: {
          id: 5,
          environment: 'production',
          ref,
          sha: 'abc123',
          created_at: '2026-01-05T10:00:00Z',
          creator: null,
        },
        deployment_status: { state: 'pending', target_url: 'https://app.example.com' },
        repository: { name: 'web' },
      });
    expect(deploymentFromGithub(event('refs/tags/v2.0.1'))).toMatchObject({
      version: 'v2.0.1',
      actor: null,
      url: 'https://app.example.com',
      finishedAt: null,
    });
    expect(deploymentFromGithub(event('main')).version).toBe('abc123');
  });
});
