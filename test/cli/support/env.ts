/** The environment of a command run as a new user would: no DATABASE_URL, REDIS_URL, VIGIL_*, Slack or log settings of the developer's. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|REDIS_URL|VIGIL_|SLACK_|LOG_LEVEL|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}
