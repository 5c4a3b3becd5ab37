/**
 * Lanes: pull jobs with affinity to one worker. A pull job goes to one of
 * `lanes` queues, by its query, so a query's jobs always meet in one lane;
 * each lane is taken by one live consumer, so a query is scored by the
 * same process job after job and its detectors stay in that process's
 * memory (a query served by whichever worker was free was fed by both, and
 * each replayed what the other had fed: about a fifth more CPU with two).
 * Who is live is the queue's business (bullmq/members.ts); this file is
 * the pure rules every process applies to the same member list, so they
 * agree on the split without talking to each other.
 * Correctness never rests on the split: a lane taken by two processes for a
 * moment (one has not seen a member join yet) still hands each job to one
 * of them, and at most one job per query exists in its lane (job ids).
 */
import { VigilError } from '../domain/errors.js';
import { fnv1a } from '../domain/hash.js';
import type { SourceQuery } from '../domain/series.js';

/** Most lanes a queue may have (config `queue.lanes`). */
export const MAX_LANES = 64;

/** The lane of a query's pull jobs: its shard index when it has one (an even spread), else a hash of its id. */
export function laneOf(query: Pick<SourceQuery, 'sourceId' | 'id' | 'shard'>, lanes: number): number {
  if (lanes <= 1) return 0;
  const shard = query.shard;
  if (typeof shard === 'number' && Number.isInteger(shard) && shard >= 0) return shard % lanes;
  return fnv1a(`${query.sourceId}\u0000${query.id}`) % lanes;
}

/**
 * The lanes `self` takes: with the live members sorted by id, lane i goes
 * to member i mod n, so every member computes the same split and the
 * lanes spread evenly (counts differ by at most one). `self` is counted
 * live whatever the list says: a member never drops its own lanes because
 * its heartbeat was late.
 */
export function lanesOwned(members: readonly string[], self: string, lanes: number): number[] {
  const live = [...new Set([...members, self])].sort();
  const at = live.indexOf(self);
  const owned: number[] = [];
  for (let lane = 0; lane < lanes; lane++) if (lane % live.length === at) owned.push(lane);
  return owned;
}

/** The queue name of one lane of `name`: lane 0 keeps the plain name, so one lane is the queue it always was. */
export function laneQueueName(name: string, lane: number): string {
  return lane === 0 ? name : `${name}-lane-${lane}`;
}

/** A lane count from 1 to MAX_LANES, or E_QUEUE_CONFIG. */
export function checkLanes(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_LANES) {
    throw new VigilError('E_QUEUE_CONFIG', `lanes must be an integer from 1 to ${MAX_LANES}, got ${String(value)}`);
  }
  return value;
}
