/**
 * The real services one fault suite runs against: a PostgreSQL, a Redis and
 * a loopback Slack of its own, started before its tests and torn down after,
 * together with the Vigil cluster a test starts on them (`cluster`).
 */
import { startCluster, type Cluster } from './cluster.js';
import { startPostgres, startRedis, type Postgres, type Server } from './services.js';
import { startLoopbackSlack, type LoopbackSlack } from './slack.js';

export interface FaultServices {
  pg: Postgres;
  redis: Server;
  slack: LoopbackSlack;
  cluster?: Cluster;
}

/** Call inside a describe block: registers its beforeAll and afterAll. */
export function useFaultServices(): FaultServices {
  const s = {} as FaultServices;
  beforeAll(async () => {
    [s.pg, s.redis, s.slack] = await Promise.all([startPostgres(), startRedis(), startLoopbackSlack()]);
  }, 120_000);
  afterAll(async () => {
    await s.cluster?.close();
    await Promise.all([s.pg?.destroy(), s.redis?.destroy(), s.slack?.close()]);
  });
  return s;
}

/** Starts a Vigil cluster on the suite's services; the suite closes it after its tests. */
export async function startClusterOn(s: FaultServices, o: { workers: number; name: string }): Promise<Cluster> {
  s.cluster = await startCluster({ pg: s.pg, redis: s.redis, slack: s.slack, ...o });
  return s.cluster;
}
