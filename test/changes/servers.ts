/**
 * Two real HTTP servers on an embedded store for the change-event tests:
 * one with the given token/secret, one with both disabled.
 */
import { deploymentRoutes, type DeploymentRouteOptions } from '../../src/changes/index.js';
import { createHttpServer } from '../../src/http/index.js';
import { createMetrics, silentLogger } from '../../src/observability/index.js';
import { openStore, type Store } from '../../src/store/index.js';

export interface DeploymentServers {
  readonly store: Store;
  readonly url: string;
  /** The server with token and secret null. */
  readonly offUrl: string;
  close(): Promise<void>;
}

export async function startDeploymentServers(opts: Omit<DeploymentRouteOptions, 'store'>): Promise<DeploymentServers> {
  const store = await openStore({ dataDir: 'memory://' });
  const base = { log: silentLogger(), metrics: createMetrics(false), checks: [] };
  const app = await createHttpServer({ ...base, plugins: [deploymentRoutes({ ...opts, store })] });
  const disabled = await createHttpServer({
    ...base,
    plugins: [deploymentRoutes({ store, token: null, githubSecret: null })],
  });
  return {
    store,
    url: await app.listen({ host: '127.0.0.1', port: 0 }),
    offUrl: await disabled.listen({ host: '127.0.0.1', port: 0 }),
    async close() {
      await app.close();
      await disabled.close();
      await store.close();
    },
  };
}
