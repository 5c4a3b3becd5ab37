/**
 * The lane count of a prefix, recorded in Redis, so that every process
 * sharing the prefix spreads pull jobs over the same lanes: a process that
 * enqueued into lane 7 while the consumers knew only 4 would leave those
 * jobs to nobody. The first process records its count; one that comes with
 * another count is refused at start. Each process renews the record while
 * it runs, so it lapses a minute after the last one stopped and the count
 * can then be changed.
 * Effects: one small Lua script per call. Failure modes: Redis errors reject.
 */
import type { Redis } from 'ioredis';
import { VigilError } from '../../domain/errors.js';

/** How long the record outlives the last process that renewed it. */
export const LANE_COUNT_TTL_MS = 60_000;

/** Records `ARGV[1]` when nothing (or the same) is recorded, renewing it; returns what is recorded. */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return ARGV[1]
end
return v
`;

export const laneCountKey = (prefix: string): string => `${prefix}:lanes:count`;

/** Claims or renews `lanes` for `prefix`; resolves with the count recorded (another one: a mismatch). */
export async function claimLaneCount(client: Redis, prefix: string, lanes: number): Promise<number> {
  const recorded = await client.eval(CLAIM, 1, laneCountKey(prefix), String(lanes), String(LANE_COUNT_TTL_MS));
  return Number(recorded);
}

export function laneCountMismatch(prefix: string, recorded: number, lanes: number): VigilError {
  return new VigilError(
    'E_QUEUE_CONFIG',
    `queue prefix '${prefix}' spreads pull jobs over ${recorded} lanes, and this process is configured with ${lanes} (queue.lanes, VIGIL_QUEUE_LANES): give every process sharing the prefix the same count (to change it, stop them all; the old count lapses a minute after the last one stopped)`,
  );
}
