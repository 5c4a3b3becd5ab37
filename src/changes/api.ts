/**
 * Change events in (fastify plugin), verified before anything is stored.
 *
 * POST /api/v1/deployments: bearer-token API. 201 {id}; 403 when no token is
 * configured; 401 for a missing or wrong token; 400 naming the first bad field.
 *
 * POST /webhooks/github: GitHub webhook, `X-Hub-Signature-256` checked over
 * the exact bytes received (this route's JSON and form parsers keep the raw
 * buffer; other routes are unaffected). 403 when no secret is configured;
 * 401 for a missing or wrong signature; 400 for a missing X-GitHub-Delivery
 * or a malformed payload (naming the field); 409 for a delivery id already
 * received (the store's delivery log: survives restarts, shared by every
 * process on one database); 200 for `ping` and a stored `deployment_status`;
 * 202 for other events.
 *
 * Effects: one upsertDeployment per accepted event; every GitHub status of a
 * deployment updates the same `github-<id>`; each delivery id is claimed in
 * the delivery log. Nothing is stored on any error; a delivery that failed
 * (or answered >= 300) is released so GitHub's redelivery is accepted. A
 * store failure answers 503 (retryable) or 500, never 4xx.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DeliveryStore, DeploymentStore } from '../store/types.js';
import {
  deploymentBodySchema,
  deploymentFromBody,
  deploymentFromGithub,
  describeIssue,
  githubDeploymentStatusSchema,
} from './schema.js';
import { answerFailures, withDelivery } from './reply.js';
import { bearerCheck, verifyGithubSignature } from './verify.js';

export interface DeploymentRouteOptions {
  readonly store: DeploymentStore & DeliveryStore;
  /** Bearer token of POST /api/v1/deployments; null disables it (403). */
  readonly token: string | null;
  /** GitHub webhook secret; null disables /webhooks/github (403). */
  readonly githubSecret: string | null;
  /** Clock for a missing startedAt and delivery times (tests). */
  readonly now?: () => number;
}

export function deploymentRoutes(o: DeploymentRouteOptions): FastifyPluginAsync {
  const checkToken = bearerCheck(o.token);
  const now = o.now ?? Date.now;

  return async (app) => {
    app.post('/api/v1/deployments', async (req, reply) => {
      if (!checkToken)
        return reply.status(403).send({
          error: 'E_DEPLOY_DISABLED',
          message: 'the deployment API is disabled: configure its token to enable it',
        });
      if (!checkToken(req.headers.authorization))
        return reply.status(401).send({ error: 'E_DEPLOY_AUTH', message: 'missing or wrong bearer token' });
      const parsed = deploymentBodySchema.safeParse(req.body);
      if (!parsed.success)
        return reply.status(400).send({ error: 'E_DEPLOY_INVALID', message: describeIssue(parsed.error) });
      const d = deploymentFromBody(parsed.data, 'api', now());
      await o.store.upsertDeployment(d);
      req.log.info({ deployment: d.id, service: d.service, status: d.status }, 'deployment recorded');
      return reply.status(201).send({ id: d.id });
    });

    // A child context: its raw-buffer parsers replace the JSON parser for this route only.
    await app.register(async (gh) => {
      gh.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded']);
      gh.addContentTypeParser(
        ['application/json', 'application/x-www-form-urlencoded'],
        { parseAs: 'buffer' },
        (_req, body, done) => done(null, body),
      );
      answerFailures(gh);
      gh.post('/webhooks/github', async (req, reply) => {
        const secret = o.githubSecret;
        if (!secret)
          return reply.status(403).send({
            error: 'E_GITHUB_DISABLED',
            message: 'the GitHub webhook is disabled: configure its secret to enable it',
          });
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (!verifyGithubSignature(secret, raw, header(req, 'x-hub-signature-256'))) {
          return reply
            .status(401)
            .send({ error: 'E_GITHUB_SIGNATURE', message: 'missing or wrong X-Hub-Signature-256' });
        }
        const delivery = header(req, 'x-github-delivery');
        if (!delivery) return invalid(reply, 'X-GitHub-Delivery: missing header');
        return withDelivery(
          o.store,
          { source: 'github', id: delivery, at: now(), code: 'E_GITHUB_REPLAY' },
          reply,
          () => handleGithub(req, reply, raw),
        );
      });
    });
  };

  /** Answers through `reply` (a FastifyReply is thenable, so it is not returned through a promise). */
  async function handleGithub(req: FastifyRequest, reply: FastifyReply, raw: Buffer): Promise<void> {
    const event = header(req, 'x-github-event');
    if (event === 'ping') {
      void reply.status(200).send({ ok: true });
      return;
    }
    if (event !== 'deployment_status') {
      void reply.status(202).send({ ignored: event ?? null });
      return;
    }
    const payload = decodePayload(raw, header(req, 'content-type') ?? '');
    if (payload === undefined) {
      void invalid(reply, 'body: not a JSON payload');
      return;
    }
    const parsed = githubDeploymentStatusSchema.safeParse(payload);
    if (!parsed.success) {
      void invalid(reply, describeIssue(parsed.error));
      return;
    }
    const d = deploymentFromGithub(parsed.data);
    await o.store.upsertDeployment(d);
    req.log.info({ deployment: d.id, service: d.service, status: d.status }, 'github deployment status recorded');
    void reply.status(200).send({ id: d.id, status: d.status });
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function invalid(reply: FastifyReply, message: string): FastifyReply {
  return reply.status(400).send({ error: 'E_GITHUB_INVALID', message });
}

/** GitHub sends JSON, or a form with the JSON in `payload`; undefined when neither parses. */
function decodePayload(raw: Buffer, contentType: string): unknown {
  try {
    const text = raw.toString('utf8');
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const p = new URLSearchParams(text).get('payload');
      return p === null ? undefined : (JSON.parse(p) as unknown);
    }
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
