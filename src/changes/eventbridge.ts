/**
 * POST /webhooks/eventbridge: an EventBridge API destination (fastify
 * plugin). Inputs: one EventBridge event as JSON; the connection sends the
 * shared secret in `X-Vigil-Secret` (API key authorization).
 * Answers: 403 E_EVENTBRIDGE_DISABLED when no secret is configured; 401
 * E_EVENTBRIDGE_AUTH for a missing or wrong secret (constant-time compare);
 * 400 E_EVENTBRIDGE_INVALID naming the field; 409 E_EVENTBRIDGE_REPLAY for
 * an event id already received; then as apply.ts (200 stored, 202 ignored).
 * Effects: those of apply.ts; the event id is claimed in the delivery log
 * and released when handling fails, so EventBridge's retry is accepted.
 */
import type { FastifyPluginAsync } from 'fastify';
import { describeIssue } from '../domain/index.js';
import type { DeliveryStore } from '../store/types.js';
import { applyMapped, type IntakeStore } from './apply.js';
import { eventBridgeEventSchema, mapEventBridgeEvent } from './aws-events.js';
import type { ServiceMap } from './mapped.js';
import { answerFailures, header, keepRawBodies, parseJson, rawBody, refuse, withDelivery } from './reply.js';
import { secretCheck } from './verify.js';

export interface EventBridgeRouteOptions {
  readonly store: IntakeStore & DeliveryStore;
  /** Expected X-Vigil-Secret; null disables the endpoint (403). */
  readonly secret: string | null;
  readonly serviceMap: ServiceMap;
  readonly now: () => number;
}

export function eventBridgeRoutes(o: EventBridgeRouteOptions): FastifyPluginAsync {
  const check = secretCheck(o.secret);
  return async (app) => {
    keepRawBodies(app);
    answerFailures(app);
    app.post('/webhooks/eventbridge', async (req, reply) => {
      if (!check)
        return refuse(
          reply,
          403,
          'E_EVENTBRIDGE_DISABLED',
          'the EventBridge endpoint is disabled: configure changeEvents.eventBridgeSecret to enable it',
        );
      if (!check(header(req, 'x-vigil-secret')))
        return refuse(reply, 401, 'E_EVENTBRIDGE_AUTH', 'missing or wrong X-Vigil-Secret');
      const body = parseJson(rawBody(req));
      if (body === undefined) return refuse(reply, 400, 'E_EVENTBRIDGE_INVALID', 'body: not JSON');
      const envelope = eventBridgeEventSchema.safeParse(body);
      if (!envelope.success) return refuse(reply, 400, 'E_EVENTBRIDGE_INVALID', describeIssue(envelope.error));
      const delivery = {
        source: 'eventbridge',
        id: envelope.data.id,
        at: o.now(),
        code: 'E_EVENTBRIDGE_REPLAY' as const,
      };
      return withDelivery(o.store, delivery, reply, () =>
        applyMapped(o.store, mapEventBridgeEvent(body, o.serviceMap), req, reply, 'E_EVENTBRIDGE_INVALID'),
      );
    });
  };
}
