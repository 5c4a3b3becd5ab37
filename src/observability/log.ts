/**
 * Structured JSON logs (pino) on stderr, so stdout stays for command output.
 * Secrets are redacted by path; error messages are masked by the config layer.
 */
import { pino, type Logger } from 'pino';
import { REDACT_PATHS } from '../config/index.js';

export type { Logger };

export function createLogger(level: string, name = 'vigil'): Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '***' } }, pino.destination(2));
}

/** A logger that drops everything: for tests and for commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
