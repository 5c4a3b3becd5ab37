/**
 * Redis key prefix of the BullMQ queues: processes with the same prefix share
 * jobs, different prefixes never see each other's. ':' is BullMQ's own key
 * separator, so it and anything outside this set is refused. Config checks
 * `queue.prefix` with it; queue/job-options.ts checks a queue's prefix.
 */
export const QUEUE_PREFIX_PATTERN = /^[\w.-]+$/;
export const DEFAULT_QUEUE_PREFIX = 'vigil';
export const QUEUE_PREFIX_RULE = "letters, digits, '_', '.' or '-' (at least one)";
