/**
 * The push source: serves the points POST /api/v1/metrics stored, to the
 * same pull pipeline as every other source (cursors and de-duplication
 * included). A point pushed after its series' cursor has passed it is
 * already "seen" and is not scored.
 */
import type { PushedPointStore } from '../../store/types.js';
import type { MetricSource, SourceQuery } from '../types.js';

export const PUSH_QUERY: SourceQuery = { sourceId: 'push', id: 'push:all', params: {} };

export function createPushSource(store: PushedPointStore, stepMs = 60_000): MetricSource {
  return {
    id: 'push',
    stepMs,
    queries: async () => [PUSH_QUERY],
    fetch: (_query, range) => store.listPushedPoints(range),
  };
}
