/** Public surface of the Prometheus source: the factory and the option schemas config embeds. */
export { createPrometheusSource, alignedSteps, MAX_POINTS_PER_REQUEST, type PrometheusDeps } from './source.js';
export {
  SOURCE_ID as PROMETHEUS_SOURCE_ID,
  prometheusOptionsSchema,
  prometheusQuerySchema,
  parsePrometheusOptions,
  type PrometheusOptions,
  type ParsedPrometheusOptions,
  type PrometheusAuth,
} from './options.js';
