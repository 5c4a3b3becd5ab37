export { childProcessEnv } from './child-env.js';
export { loadConfig, loadConfigFromProcess, ConfigError } from './load.js';
export { BUILTIN_PLAYBOOKS } from './schema.js';
export { maskSecrets, REDACT_PATHS } from './secrets.js';
export type { Config, ConfigInput } from './schema.js';
