/**
 * Acts on a mapped change or alert event and answers the request.
 * Effects: a deployment is upserted (200 {id, status}); an alert is recorded
 * and joins its service's open incident (200 {id, new, incident}); an
 * ignored event stores nothing (202 {ignored}); an invalid one stores
 * nothing (400 {error: invalidCode, message}). Store errors propagate.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VigilErrorCode } from '../domain/index.js';
import type { DeploymentStore } from '../store/types.js';
import { recordAlert, type AlertStore } from './alerts.js';
import type { Mapped } from './mapped.js';
import { refuse } from './reply.js';

export type IntakeStore = DeploymentStore & AlertStore;

export async function applyMapped(
  store: IntakeStore,
  mapped: Mapped,
  req: FastifyRequest,
  reply: FastifyReply,
  invalidCode: VigilErrorCode,
): Promise<void> {
  switch (mapped.kind) {
    case 'invalid':
      void refuse(reply, 400, invalidCode, mapped.message);
      return;
    case 'ignored':
      void reply.status(202).send({ ignored: mapped.reason });
      return;
    case 'deployment': {
      const d = mapped.deployment;
      await store.upsertDeployment(d);
      req.log.info({ deployment: d.id, service: d.service, status: d.status }, 'deployment recorded');
      void reply.status(200).send({ id: d.id, status: d.status });
      return;
    }
    case 'alert': {
      const outcome = await recordAlert(store, mapped.event);
      req.log.info(
        { event: outcome.id, service: mapped.event.service, status: mapped.event.status, incident: outcome.incidentId },
        'alert recorded',
      );
      void reply.status(200).send({ id: outcome.id, new: outcome.new, incident: outcome.incidentId });
    }
  }
}
