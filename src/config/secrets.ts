/**
 * Secrets never reach logs or error messages: URL passwords and known token
 * shapes are masked wherever config values are printed.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\w+:\/\/[^:/@\s"]*:)[^@\s"]+@/g, '$1***@')
    .replace(/\bxox[abposr]-[\w-]+/g, 'xox*-***')
    .replace(/\bxapp-[\w-]+/g, 'xapp-***');
}

/** Logger redaction paths for objects that may carry secrets. */
export const REDACT_PATHS = [
  'databaseUrl',
  'redisUrl',
  '*.token',
  '*.secret',
  '*.password',
  '*.signingSecret',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-vigil-secret"]',
  'changeEvents.eventBridgeSecret',
  'changeEvents.argocdToken',
  'changeEvents.alertmanagerToken',
  'notify.slack.botToken',
  'notify.slack.signingSecret',
  'notify.slack.appToken',
];
