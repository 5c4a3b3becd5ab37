/**
 * `vigil bench pipeline` on PostgreSQL + Redis with two `vigil worker`
 * processes, on a tiny size, against the test PostgreSQL and Redis
 * (test/support/services.ts: TEST_DATABASE_URL / TEST_REDIS_URL; with
 * CI=true an unreachable one fails the suite instead of skipping it).
 * The run works in a scratch database and a queue prefix of its own, so the
 * test database is never touched; the test checks the scratch
 * database and the run's Redis keys are gone afterwards.
 */
import { Redis } from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipelineBench } from '../../../src/bench/pipeline/index.js';
import { harnessFor, pipelineMode } from '../../../src/cli/bench-pipeline.js';
import { loadConfig } from '../../../src/config/index.js';
import { createPgClient } from '../../../src/store/pg/client.js';
import { postgresAvailable, redisAvailable, testDatabaseUrl, testRedisUrl } from '../../support/services.js';
import { expectConsistent } from './consistent.js';

const databaseUrl = testDatabaseUrl;
const redisUrl = testRedisUrl;
const configured = postgresAvailable && redisAvailable;

describe('vigil bench pipeline (PostgreSQL + Redis, 2 worker processes)', () => {
  (configured ? it : it.skip)(
    'scores every point exactly once across the workers, and leaves no scratch database behind',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pipeline-pg-'));
      const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'silent' }, dir);
      expect(pipelineMode(config, 2)).toEqual({ shared: true, workers: 2 });
      const report = await runPipelineBench(
        { series: 30, minutes: 4, seed: 2, sampleMs: 20 },
        harnessFor(config, { workers: 2, pullIntervalMs: 50 }),
      );
      expect(report.mode).toBe('postgres+redis');
      expect(report.workers).toBe(2);
      expect(report.compactEveryMs).toBeNull();
      expectConsistent(report, 30, 4);
      expect(report.processes.map((p) => p.role)).toEqual(['service', 'worker 1', 'worker 2']);
      expect(new Set(report.processes.map((p) => p.pid)).size).toBe(3);

      // The run's scratch database (vigil_bench_<pid>_<time>) is dropped.
      const admin = await createPgClient(databaseUrl, { max: 1 });
      try {
        const [row] = await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE $1',
          [`vigil_bench_${process.pid}_%`],
        );
        expect(row?.n).toBe(0);
      } finally {
        await admin.close();
      }
      // And so are its queues (prefix vigil-bench-<pid>_<time>).
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        expect(await redis.keys(`vigil-bench-${process.pid}_*`)).toEqual([]);
      } finally {
        redis.disconnect();
      }
    },
    180_000,
  );
});
