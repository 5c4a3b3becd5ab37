/**
 * POST /webhooks/argocd and POST /webhooks/alertmanager (fastify plugin),
 * each behind its own bearer token (`Authorization: Bearer <token>`).
 * Answers: 403 E_ARGOCD_DISABLED / E_ALERTMANAGER_DISABLED when no token is
 * configured; 401 E_ARGOCD_AUTH / E_ALERTMANAGER_AUTH for a missing or wrong
 * token; 400 E_ARGOCD_INVALID / E_ALERTMANAGER_INVALID naming the field.
 * Argo CD: 200 {id, status} after the upsert, 202 for a phase not tracked.
 * Alertmanager: 200 {received, new, incidents} after recording every alert.
 * Effects: upsertDeployment (Argo CD); recordAlert per alert (Alertmanager).
 * Neither payload carries a delivery id: both are idempotent by record id
 * instead (a re-sent alert is recorded once, a re-sent sync state upserts
 * the same deployment).
 */
import type { FastifyPluginAsync } from 'fastify';
import { describeIssue } from '../domain/index.js';
import { recordAlert } from './alerts.js';
import { alertmanagerPayloadSchema, alertsFromAlertmanager } from './alertmanager.js';
import { applyMapped, type IntakeStore } from './apply.js';
import { mapArgoEvent } from './argo.js';
import type { ServiceMap } from './mapped.js';
import { answerFailures, header, keepRawBodies, parseJson, rawBody, refuse } from './reply.js';
import { bearerCheck } from './verify.js';

export interface TokenRouteOptions {
  readonly store: IntakeStore;
  readonly argocdToken: string | null;
  readonly alertmanagerToken: string | null;
  readonly serviceMap: ServiceMap;
  readonly now: () => number;
}

export function tokenRoutes(o: TokenRouteOptions): FastifyPluginAsync {
  const argo = bearerCheck(o.argocdToken);
  const alertmanager = bearerCheck(o.alertmanagerToken);
  return async (app) => {
    keepRawBodies(app);
    answerFailures(app);

    app.post('/webhooks/argocd', async (req, reply) => {
      if (!argo)
        return refuse(
          reply,
          403,
          'E_ARGOCD_DISABLED',
          'the Argo CD webhook is disabled: configure changeEvents.argocdToken to enable it',
        );
      if (!argo(header(req, 'authorization')))
        return refuse(reply, 401, 'E_ARGOCD_AUTH', 'missing or wrong bearer token');
      const body = parseJson(rawBody(req));
      if (body === undefined) return refuse(reply, 400, 'E_ARGOCD_INVALID', 'body: not JSON');
      await applyMapped(o.store, mapArgoEvent(body, o.serviceMap, o.now()), req, reply, 'E_ARGOCD_INVALID');
      return reply;
    });

    app.post('/webhooks/alertmanager', async (req, reply) => {
      if (!alertmanager)
        return refuse(
          reply,
          403,
          'E_ALERTMANAGER_DISABLED',
          'the Alertmanager webhook is disabled: configure changeEvents.alertmanagerToken to enable it',
        );
      if (!alertmanager(header(req, 'authorization')))
        return refuse(reply, 401, 'E_ALERTMANAGER_AUTH', 'missing or wrong bearer token');
      const body = parseJson(rawBody(req));
      if (body === undefined) return refuse(reply, 400, 'E_ALERTMANAGER_INVALID', 'body: not JSON');
      const parsed = alertmanagerPayloadSchema.safeParse(body);
      if (!parsed.success) return refuse(reply, 400, 'E_ALERTMANAGER_INVALID', describeIssue(parsed.error));
      const events = alertsFromAlertmanager(parsed.data);
      const incidents = new Set<string>();
      let fresh = 0;
      for (const e of events) {
        const outcome = await recordAlert(o.store, e);
        if (outcome.new) fresh++;
        if (outcome.incidentId) incidents.add(outcome.incidentId);
      }
      req.log.info({ received: events.length, new: fresh, incidents: [...incidents] }, 'alertmanager alerts recorded');
      return reply.status(200).send({ received: events.length, new: fresh, incidents: [...incidents] });
    });
  };
}
