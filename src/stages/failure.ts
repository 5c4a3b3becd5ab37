/**
 * How a stage reports an item that failed while the rest of the pull goes
 * on: a store outage is logged once when it starts (deps.outage), anything
 * else once per failing item, wrapped in a VigilError (E_SCORE when it had
 * no code). Effects: logs only; the caller counts the failure.
 */
import { wrapError } from '../domain/errors.js';
import type { PipelineDeps } from './types.js';

export function reportFailure(err: unknown, what: string, deps: Pick<PipelineDeps, 'log' | 'outage'>): void {
  const e = wrapError(err, 'E_SCORE');
  if (e.code === 'E_STORE_UNAVAILABLE' && deps.outage) deps.outage.failed('store', e);
  else deps.log.error({ code: e.code, err: e }, `${what} failed; the rest goes on and it is retried on the next pull`);
}
