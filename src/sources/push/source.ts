/**
 * The push source: serves the points POST /api/v1/metrics queued, to the
 * same pull pipeline as every other source. It is driven by what was stored,
 * not by the clock: a fetch ignores the job's time range and returns every
 * point its series has not scored yet (however late it was pushed), at most
 * `maxPoints` a job; the rest are served by the next pull. A series that
 * fails to score keeps its points queued, so the next pull retries it.
 */
import type { PushedPointStore } from '../../store/types.js';
import type { MetricSource, SourceQuery } from '../types.js';

export const PUSH_QUERY: SourceQuery = { sourceId: 'push', id: 'push:all', params: {} };

export function createPushSource(store: PushedPointStore, stepMs = 60_000, maxPoints = 200_000): MetricSource {
  return {
    id: 'push',
    stepMs,
    queries: async () => [PUSH_QUERY],
    fetch: () => store.listPendingPushedPoints(maxPoints, 'push'),
  };
}
