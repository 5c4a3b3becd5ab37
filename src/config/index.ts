export { childProcessEnv } from './child-env.js';
export { loadConfig, loadConfigFromProcess, ConfigError } from './load.js';
export { BUILTIN_PLAYBOOKS } from './schema.js';
export { maskSecrets, REDACT_PATHS } from './secrets.js';
export type { Config, ConfigInput } from './schema.js';
export { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN, QUEUE_PREFIX_RULE } from './queue-prefix.js';
// The adapters' option schemas config embeds; each adapter parses its own with them.
export {
  CLOUDWATCH_QUERY_ID_PATTERN,
  cloudWatchBudgetSchema,
  cloudWatchDimensionsSchema,
  cloudWatchDiscoverySchema,
  cloudWatchNameSchema,
  cloudWatchOptionsSchema,
  cloudWatchPeriodSchema,
  cloudWatchQuerySchema,
  cloudWatchStatisticSchema,
  type CloudWatchBudget,
  type CloudWatchOptions,
  type ParsedCloudWatchOptions,
} from './sources/cloudwatch.js';
export {
  prometheusOptionsSchema,
  prometheusQuerySchema,
  type ParsedPrometheusOptions,
  type PrometheusAuth,
  type PrometheusOptions,
} from './sources/prometheus.js';
