/**
 * Rules both Queue implementations share, so that they behave the same:
 * defaults, option validation, backoff, which failures are final, and the
 * errors a caller sees. Pure functions, no I/O.
 * Failure modes: invalid options throw VigilError E_QUEUE_CONFIG at the call.
 */
import { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN, QUEUE_PREFIX_RULE } from '../config/index.js';
import { VigilError } from '../domain/errors.js';
import type { EnqueueOptions, JobName } from './types.js';

/** Every job name, at runtime; `satisfies` plus the check below keep it in step with JobPayloads. */
export const JOB_NAMES = ['pull', 'notify', 'verdict', 'remediate'] as const satisfies readonly JobName[];
type Missing = Exclude<JobName, (typeof JOB_NAMES)[number]>;
const _allNamesListed: Missing extends never ? true : Missing = true;
void _allNamesListed;

export const DEFAULT_ATTEMPTS = 3;
/** First retry delay; production default. Tests pass a few ms to stay fast. */
export const DEFAULT_BACKOFF_MS = 1000;

/** Delay before the try that follows failed try number `attempt` (1-based): base, 2*base, 4*base, ... */
export function backoffDelay(baseMs: number, attempt: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1));
}

export function checkAttempts(opts: EnqueueOptions | undefined): number {
  const attempts = opts?.attempts ?? DEFAULT_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new VigilError('E_QUEUE_CONFIG', `attempts must be an integer >= 1, got ${String(attempts)}`);
  }
  return attempts;
}

/** Returns the dedup key, or undefined for "no dedup". An empty id is a caller bug, not "no id". */
export function checkJobId(opts: EnqueueOptions | undefined): string | undefined {
  const id = opts?.jobId;
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || id.length === 0) {
    throw new VigilError('E_QUEUE_CONFIG', 'jobId must be a non-empty string when given');
  }
  return id;
}

export { DEFAULT_QUEUE_PREFIX };

/** The Redis key prefix rule (config/queue-prefix.ts), applied to queues built without config too. */
export function checkPrefix(value: string): string {
  if (typeof value !== 'string' || !QUEUE_PREFIX_PATTERN.test(value)) {
    throw new VigilError('E_QUEUE_CONFIG', `queue prefix must be ${QUEUE_PREFIX_RULE}, got '${String(value)}'`);
  }
  return value;
}

export function checkConcurrency(value: number, where: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new VigilError('E_QUEUE_CONFIG', `${where}: concurrency must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

export function checkBackoff(value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new VigilError('E_QUEUE_CONFIG', `backoffMs must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** A VigilError that says "do not retry" ends the job on its first failure. */
export function isPermanent(err: unknown): err is VigilError {
  return err instanceof VigilError && !err.retryable;
}

/** Handlers may throw anything; listeners always get an Error. */
export function toError(err: unknown): Error {
  return err instanceof Error
    ? err
    : new VigilError('E_JOB_FAILED', `job failed: ${String(err)}`, true, { cause: err });
}

export function closedError(what: string): VigilError {
  return new VigilError('E_QUEUE_CLOSED', `queue is closed: cannot ${what}`);
}

export function alreadyProcessingError(name: JobName): VigilError {
  return new VigilError(
    'E_QUEUE_CONFIG',
    `process('${name}') was already called on this queue; call it once per job name`,
  );
}
