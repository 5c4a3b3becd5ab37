/**
 * Maps a driver error (pg or PGlite) to one VigilError, so callers see a
 * stable code and whether trying again can help — never a driver type.
 *
 * Codes:
 * - E_STORE_UNAVAILABLE (retryable): connection lost, refused, timed out, server shutting down.
 * - E_STORE_CONFLICT: unique violation; retryable for serialization failure / deadlock.
 * - E_STORE_NOT_FOUND: a referenced row is missing (foreign key).
 * - E_STORE_QUERY: anything else (a bug or bad input), not retryable.
 */
import { VigilError, type VigilErrorCode } from '../domain/errors.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

export function toStoreError(err: unknown): VigilError {
  if (err instanceof VigilError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const state = sqlState(err);
  const make = (code: VigilErrorCode, retryable: boolean) =>
    new VigilError(
      code,
      `store: ${message}${state && !NETWORK_CODES.has(state) ? ` (SQLSTATE ${state})` : ''}`,
      retryable,
      { cause: err },
    );

  if (state !== null && (NETWORK_CODES.has(state) || /^(08|53|57P0)/.test(state)))
    return make('E_STORE_UNAVAILABLE', true);
  // pg reports a dropped socket or pool timeout without a code.
  if (
    state === null &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return make('E_STORE_UNAVAILABLE', true);
  }
  if (state === '40001' || state === '40P01') return make('E_STORE_CONFLICT', true);
  if (state === '23505') return make('E_STORE_CONFLICT', false);
  if (state === '23503') return make('E_STORE_NOT_FOUND', false);
  return make('E_STORE_QUERY', false);
}
