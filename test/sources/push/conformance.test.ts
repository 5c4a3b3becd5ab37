/**
 * The MetricSource conformance suite on the push source over an embedded
 * store holding pushed points. Documented exception: a push fetch ignores the
 * range and serves every point its series has not scored yet (source.ts), so
 * the range checks do not apply; everything else does, sharded or not.
 */
import { seriesKey, type Series } from '../../../src/domain/index.js';
import { createPushSource } from '../../../src/sources/push/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { sourceConformance } from '../conformance.js';

const T0 = Date.UTC(2026, 0, 5);

function pushed(service: string, metric: string, n: number): Series {
  const labels = { service, region: 'eu' };
  return {
    ref: { key: seriesKey('push', metric, labels), source: 'push', metric, service, labels },
    points: Array.from({ length: n }, (_, i) => ({ t: T0 + i * 1000, v: (i * 37) % 11 })),
  };
}

// One store for both runs: fetching never consumes points (only scoring moves a series' cursor).
let opened: Promise<Store> | null = null;
const store = (): Promise<Store> =>
  (opened ??= openStore({ dataDir: 'memory://' }).then(async (s) => {
    await s.insertPushedPoints(
      ['checkout', 'payments', 'search', 'auth'].flatMap((svc) => [
        pushed(svc, 'latency', 50),
        pushed(svc, 'errors', 30),
      ]),
    );
    return s;
  }));
afterAll(async () => {
  await (await opened)?.close();
});

for (const shards of [1, 2]) {
  sourceConformance(
    `push (${shards} shard${shards > 1 ? 's' : ''})`,
    async () => {
      const source = createPushSource(await store(), { shards, stepMs: 1000 });
      // The shard that holds points (with 2 shards, either may be the one with more services).
      const queries = await source.queries();
      const sizes = await Promise.all(queries.map(async (q) => (await source.fetch(q, { from: 0, to: 0 })).length));
      const query = queries[sizes.indexOf(Math.max(...sizes))]!;
      return { source, query, range: { from: T0, to: T0 + 60_000 } };
    },
    { ignoresRange: true },
  );
}
