/**
 * Every inbound change and alert webhook beyond the deployment API and
 * GitHub (api.ts), as one fastify plugin: /webhooks/sns (sns.ts),
 * /webhooks/eventbridge (eventbridge.ts), /webhooks/argocd and
 * /webhooks/alertmanager (token-routes.ts). Each route answers 403 while its
 * secret or topic list is not configured. Effects: those of the routes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DeliveryStore } from '../store/types.js';
import type { IntakeStore } from './apply.js';
import { eventBridgeRoutes } from './eventbridge.js';
import type { ServiceMap } from './mapped.js';
import { snsRoutes, type SnsTrustOptions } from './sns.js';
import { tokenRoutes } from './token-routes.js';

export type ChangeEventStore = IntakeStore & DeliveryStore;

export interface ChangeEventRouteOptions {
  readonly store: ChangeEventStore;
  /** SNS topics whose messages are accepted; empty disables /webhooks/sns. */
  readonly snsTopicArns: readonly string[];
  readonly eventBridgeSecret: string | null;
  readonly argocdToken: string | null;
  readonly alertmanagerToken: string | null;
  /** `"<application>/<group>"`, `"<application>"`, `"<pipeline>"` or Argo app -> service. */
  readonly serviceMap?: ServiceMap;
  /** Code-only SNS trust settings (tests); the defaults trust only SNS hosts over https. */
  readonly sns?: SnsTrustOptions;
  /** Wall clock (tests). */
  readonly now?: () => number;
}

export function changeEventRoutes(o: ChangeEventRouteOptions): FastifyPluginAsync {
  const now = o.now ?? Date.now;
  const serviceMap = o.serviceMap ?? {};
  return async (app) => {
    await app.register(
      snsRoutes({ store: o.store, topicArns: o.snsTopicArns, serviceMap, now, ...(o.sns ? { trust: o.sns } : {}) }),
    );
    await app.register(eventBridgeRoutes({ store: o.store, secret: o.eventBridgeSecret, serviceMap, now }));
    await app.register(
      tokenRoutes({
        store: o.store,
        argocdToken: o.argocdToken,
        alertmanagerToken: o.alertmanagerToken,
        serviceMap,
        now,
      }),
    );
  };
}
