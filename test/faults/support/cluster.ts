/**
 * One Vigil deployment for a fault test: its own PostgreSQL database and
 * Redis prefix, a loopback Slack, `vigil start` and any number of
 * `vigil worker` processes sharing them, and a teardown that stops what it
 * started (children first, servers last).
 */
import { rmSync } from 'node:fs';
import { openQueue, type Queue } from '../../../src/queue/index.js';
import { freePort, type Postgres, type Server } from './services.js';
import type { LoopbackSlack } from './slack.js';
import { spawnVigil, workDir, type VigilProcess } from './vigil.js';
import { PUSH_TOKEN } from './workload.js';

/** Pull lanes and push shards of every cluster. */
const LANES = 4;

export interface Cluster {
  readonly cwd: string;
  readonly databaseUrl: string;
  readonly baseUrl: string;
  readonly start: VigilProcess;
  readonly workers: VigilProcess[];
  /** Starts one more `vigil worker` (e.g. the restart of a killed one) and waits until it is up. */
  addWorker(name: string): Promise<VigilProcess>;
  /** True when no notify or verdict job is waiting or running (pull jobs recur every second and are not counted). */
  notificationsIdle(): Promise<boolean>;
  /** Jobs of every kind that some worker holds right now (a killed worker's job stays active until it is found stalled). */
  activeJobs(): Promise<number>;
  /** Every process this cluster started (killed ones included). */
  readonly all: VigilProcess[];
  /**
   * `wait`, or when it fails, its error with the last log lines of every
   * process and the jobs held: a stall in CI then says where it stood.
   */
  diagnose<T>(wait: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The last `n` log lines of each process, one JSON line each. */
function logTails(all: readonly VigilProcess[], n = 40): string {
  return all
    .map((p) =>
      [
        `-- ${p.name} (pid ${p.pid}):`,
        ...p
          .lines()
          .slice(-n)
          .map((l) => JSON.stringify(l)),
      ].join('\n'),
    )
    .join('\n');
}

let clusters = 0;

export async function startCluster(o: {
  pg: Postgres;
  redis: Server;
  slack: LoopbackSlack;
  workers: number;
  name: string;
}): Promise<Cluster> {
  const n = ++clusters;
  const databaseUrl = await o.pg.createDatabase(`vigil_${o.name}_${n}`);
  const port = await freePort();
  const cwd = workDir(
    [
      'worker:',
      '  pullInterval: 1s',
      '  concurrency: 2',
      'notify:',
      '  slack:',
      `    apiUrl: ${o.slack.apiUrl}`,
      '',
    ].join('\n'),
  );
  const prefix = `fault_${o.name}_${n}_${process.pid}`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: o.redis.url,
    VIGIL_QUEUE_PREFIX: prefix,
    // Pushed series in four pull jobs over four lanes: each process scores its own lanes' series, and a
    // killed or restarted one hands them over (the queue's lanes: src/queue/lanes.ts).
    VIGIL_QUEUE_LANES: String(LANES),
    VIGIL_PUSH_SHARDS: String(LANES),
    VIGIL_HTTP_HOST: '127.0.0.1',
    VIGIL_HTTP_PORT: String(port),
    VIGIL_PUSH_TOKEN: PUSH_TOKEN,
    SLACK_BOT_TOKEN: 'xoxb-fault-test',
    SLACK_CHANNEL: '#alerts',
    SLACK_SIGNING_SECRET: 'fault-test-signing-secret-0123',
    LOG_LEVEL: 'info',
  };
  const all: VigilProcess[] = [];
  const start = spawnVigil('vigil start', 'start', cwd, env);
  all.push(start);
  await start.waitForLine(/^vigil started$/);
  const workers: VigilProcess[] = [];
  const addWorker = async (name: string) => {
    // Several workers on one host: no metrics listener (one port each otherwise; the default would clash).
    const w = spawnVigil(name, 'worker', cwd, { ...env, VIGIL_WORKER_METRICS_PORT: '0' });
    all.push(w);
    workers.push(w);
    await w.waitForLine(/^worker started/);
    return w;
  };
  for (let i = 1; i <= o.workers; i++) await addWorker(`worker ${i}`);
  let queue: Queue | null = null;
  const activeJobs = async (): Promise<number> => {
    queue ??= await openQueue({ redisUrl: o.redis.url, prefix, lanes: LANES });
    const counts = await Promise.all(
      (['pull', 'notify', 'verdict', 'remediate'] as const).map((k) => queue!.counts(k)),
    );
    return counts.reduce((sum, c) => sum + c.active, 0);
  };
  return {
    cwd,
    databaseUrl,
    baseUrl: `http://127.0.0.1:${port}`,
    start,
    workers,
    all,
    addWorker,
    activeJobs,
    async diagnose(wait) {
      try {
        return await wait;
      } catch (err) {
        const held = await activeJobs().catch((e: unknown) => `unknown (${String(e)})`);
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`${message}\njobs held now: ${held}\n${logTails(all)}`, { cause: err });
      }
    },
    async notificationsIdle() {
      queue ??= await openQueue({ redisUrl: o.redis.url, prefix, lanes: LANES });
      const [n, v] = await Promise.all([queue.counts('notify'), queue.counts('verdict')]);
      return n.waiting + n.active + v.waiting + v.active === 0;
    },
    async close() {
      await Promise.all(all.map((p) => p.kill()));
      rmSync(cwd, { recursive: true, force: true });
      await queue?.close();
    },
  };
}
