/**
 * The push source: serves the points POST /api/v1/metrics queued, to the
 * same pull pipeline as every other source. It is driven by what was stored,
 * not by the clock: a fetch ignores the job's time range and returns the
 * points its series have not scored yet (however late they were pushed).
 * A series that fails to score keeps its points queued, so the next pull
 * retries it.
 *
 * Pages: a fetch serves at most `batchSeries` series (whole services, the
 * longest waiting first) and `maxPoints` points; fetchPage says what it left,
 * and the pull job takes the next page (src/pipeline.ts). One job over
 * 100,000 series held every detector at once and ran a worker out of heap.
 *
 * Shards: with `shards` > 1 the pushed series are split by service into
 * that many queries (PushShard in store/types.ts), so that many pull jobs,
 * on as many workers, score at once; a service's series, and linked
 * services (which share incidents), stay in one shard, so no two workers
 * hold one incident's series. A query carries its shard and the shard
 * count, so a worker configured differently still serves the scheduler's
 * split.
 */
import { VigilError } from '../../domain/errors.js';
import { fnv1a } from '../../domain/hash.js';
import type { PushedPointStore, PushShard } from '../../store/types.js';
import type { MetricSource, SourceQuery } from '../types.js';

export const PUSH_QUERY: SourceQuery = { sourceId: 'push', id: 'push:all', params: {} };

export const MAX_PUSH_SHARDS = 64;
export const DEFAULT_BATCH_SERIES = 10_000;

export interface PushSourceOptions {
  readonly stepMs?: number;
  /** Most points one pull job page holds (default 200,000). */
  readonly maxPoints?: number;
  /** Most series one page holds, whole services (default 10,000: push.batchSeries). */
  readonly batchSeries?: number;
  /** Queries to split the series into (1: one query, PUSH_QUERY). */
  readonly shards?: number;
  /**
   * Linked services (correlate.dependsOn), which share incidents: each is
   * pinned to the shard of its group's key (correlate/links.ts groupOf).
   */
  readonly links?: { readonly services: readonly string[]; groupOf(service: string): string };
}

export function pushShardQuery(index: number, count: number): SourceQuery {
  return { sourceId: 'push', id: `push:${index + 1}of${count}`, shard: index, params: { shard: index, of: count } };
}

export function createPushSource(store: PushedPointStore, o: PushSourceOptions = {}): MetricSource {
  const count = o.shards ?? 1;
  // The series rows were written when the points were pushed: a page's refs are read from them.
  const page = async (q: SourceQuery) => ({
    ...(await store.listPendingPushedPoints({
      maxPoints: o.maxPoints ?? 200_000,
      maxSeries: o.batchSeries ?? DEFAULT_BATCH_SERIES,
      shard: shardOf(q, o),
    })),
    registered: true,
  });
  return {
    id: 'push',
    stepMs: o.stepMs ?? 60_000,
    queries: async () =>
      count <= 1 ? [PUSH_QUERY] : Array.from({ length: count }, (_, i) => pushShardQuery(i, count)),
    fetch: async (q) => (await page(q)).series,
    fetchPage: async (q) => page(q),
  };
}

/** The shard a query names (none: every series), with linked services pinned to their group's shard. */
function shardOf(q: SourceQuery, o: PushSourceOptions): PushShard | undefined {
  if (q.params.shard === undefined && q.params.of === undefined) return undefined;
  const { shard, of } = q.params;
  if (
    typeof of !== 'number' ||
    !Number.isInteger(of) ||
    of < 1 ||
    of > MAX_PUSH_SHARDS ||
    typeof shard !== 'number' ||
    !Number.isInteger(shard) ||
    shard < 0 ||
    shard >= of
  ) {
    throw new VigilError(
      'E_SOURCE_QUERY',
      `push query ${q.id}: shard must be an integer in [0, of) and of in [1, ${MAX_PUSH_SHARDS}], got shard=${String(shard)} of=${String(of)}`,
    );
  }
  const pinned: Record<string, number> = {};
  for (const service of o.links?.services ?? []) pinned[service] = fnv1a(o.links!.groupOf(service)) % of;
  return { index: shard, count: of, pinned };
}
