/**
 * Real HTTP servers for the change/alert webhook tests on one embedded
 * store: one with every secret configured (and the given SNS trust), one
 * with everything disabled.
 */
import { changeEventRoutes, type ChangeEventRouteOptions } from '../../src/changes/index.js';
import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';
import { openStore, type Store } from '../../src/store/index.js';

export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vigil-changes';
export const EVENTBRIDGE_SECRET = 'eventbridge-secret-0123456789';
export const ARGOCD_TOKEN = 'argocd-token-0123456789';
export const ALERTMANAGER_TOKEN = 'alertmanager-token-0123456789';

export interface ChangeServers {
  readonly store: Store;
  readonly url: string;
  /** Every endpoint disabled (no topics, secrets or tokens). */
  readonly offUrl: string;
  close(): Promise<void>;
}

export async function startChangeServers(
  over: Partial<Omit<ChangeEventRouteOptions, 'store'>> = {},
): Promise<ChangeServers> {
  const store = await openStore({ dataDir: 'memory://' });
  const base = { log: silentLogger(), metrics: createMetrics(false), checks: [] };
  const app = await createHttpServer({
    ...base,
    plugins: [
      changeEventRoutes({
        store,
        snsTopicArns: [TOPIC],
        eventBridgeSecret: EVENTBRIDGE_SECRET,
        argocdToken: ARGOCD_TOKEN,
        alertmanagerToken: ALERTMANAGER_TOKEN,
        serviceMap: { 'billing-app/prod-fleet': 'billing', 'web-pipeline': 'web', guestbook: 'guestbook-ui' },
        ...over,
      }),
    ],
  });
  const off = await createHttpServer({
    ...base,
    plugins: [
      changeEventRoutes({
        store,
        snsTopicArns: [],
        eventBridgeSecret: null,
        argocdToken: null,
        alertmanagerToken: null,
      }),
    ],
  });
  return {
    store,
    url: await app.listen({ host: '127.0.0.1', port: 0 }),
    offUrl: await off.listen({ host: '127.0.0.1', port: 0 }),
    async close() {
      await app.close();
      await off.close();
      await store.close();
    },
  };
}
