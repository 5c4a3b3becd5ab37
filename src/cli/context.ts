/**
 * Shared by commands: config loading and the one place that turns an error
 * into a message for the person at the terminal (no stack traces for
 * errors we understand; exit code 2 for configuration, 1 otherwise).
 */
import { loadConfigFromProcess, maskSecrets, type Config } from '../config/index.js';
import { VigilError } from '../domain/errors.js';

export function configFromEnv(overrides: (c: Config) => Config = (c) => c): Config {
  return overrides(loadConfigFromProcess());
}

export function fail(err: unknown): never {
  if (err instanceof VigilError) {
    process.stderr.write(`vigil: ${maskSecrets(err.message)} [${err.code}]\n`);
    process.exit(err.code === 'E_CONFIG' ? 2 : 1);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`vigil: unexpected error: ${maskSecrets(e.stack ?? e.message)}\n`);
  process.exit(1);
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
