/**
 * Bolt's and Socket Mode's own log lines into Vigil's structured log
 * (instead of their console logger): warnings and errors only, as one
 * message string. Pure adapter; no effects of its own.
 */
import bolt from '@slack/bolt';

type BoltLogger = NonNullable<ConstructorParameters<typeof bolt.App>[0]>['logger'] & object;

export interface LogSink {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const text = (parts: unknown[]) =>
  parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');

export function boltLogger(log: LogSink): BoltLogger {
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => log.warn({ from: 'bolt' }, `Slack: ${text(parts)}`),
    error: (...parts: unknown[]) => log.error({ from: 'bolt' }, `Slack: ${text(parts)}`),
    setLevel: () => {},
    getLevel: () => bolt.LogLevel.WARN,
    setName: () => {},
  };
}
