/**
 * The incident lock of this process: one group's lifecycle and attribution
 * run one batch at a time (src/incidents/keyed-lock.ts). With co-onset
 * grouping one group's batch may change another's incident
 * (src/incidents/co-onset.ts), so then every batch takes the same key.
 * Across processes the store's open-incident index is what holds.
 * Also what this process knows of each series' data (src/incidents/horizon.ts),
 * one per store (one pipeline), which the lifecycle decides on.
 */
import { Horizon, KeyedLock } from '../incidents/index.js';
import type { PipelineDeps } from './types.js';

const incidents = new KeyedLock();
const horizons = new WeakMap<object, Horizon>();

/** Runs `fn` holding the lock of incident key `key` (a service or a linked group's key). */
export function locked<T>(key: string, deps: Pick<PipelineDeps, 'policy'>, fn: () => Promise<T>): Promise<T> {
  return incidents.run((deps.policy.coOnsetWithin ?? 0) > 0 ? '*' : key, fn);
}

/** How far each series of the pipeline that uses `store` is scored, in this process. */
export function horizonOf(store: object): Horizon {
  let h = horizons.get(store);
  if (!h) horizons.set(store, (h = new Horizon()));
  return h;
}
