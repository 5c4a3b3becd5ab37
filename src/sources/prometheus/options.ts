/**
 * Prometheus source options and query params: config/sources/prometheus.ts
 * holds the option schemas config embeds; this file adds the query params
 * workers re-check, generated query ids and the parsing. Pure. Failure mode:
 * a VigilError with code E_PROMETHEUS_OPTIONS (options) or
 * E_PROMETHEUS_QUERY (params of a query), naming every bad path, e.g.
 * `queries.0.stepSeconds: ...`.
 *
 * Secrets (auth, credentials in the URL) stay in the options: query params
 * travel through the queue and into logs, so they carry only the PromQL and
 * how to name its series.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { prometheusOptionsSchema, type ParsedPrometheusOptions } from '../../config/index.js';
import { VigilError } from '../../domain/index.js';

export {
  prometheusOptionsSchema,
  prometheusQuerySchema,
  type ParsedPrometheusOptions,
  type PrometheusAuth,
  type PrometheusOptions,
} from '../../config/index.js';

export const SOURCE_ID = 'prometheus';

/** Params of one SourceQuery: what a worker needs besides the connection. */
export const queryParamsSchema = z
  .object({
    promql: z.string().min(1),
    stepSeconds: z.number().int().min(1).max(86_400),
    /** metric name for series without __name__ (e.g. results of rate()) */
    metric: z.string().min(1),
    service: z.string().min(1).optional(),
    serviceLabel: z.string().min(1).optional(),
  })
  .strict();
export type QueryParams = z.output<typeof queryParamsSchema>;

export function describeZod(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Stable id for a query without one: derived from the PromQL, not the list
 * position, because cursors are keyed by query id and must survive reordering.
 * User ids of this form are refused (config/sources/prometheus.ts).
 */
export function generatedQueryId(promql: string): string {
  return `q_${createHash('sha256').update(promql).digest('hex').slice(0, 12)}`;
}

export function parsePrometheusOptions(input: unknown): ParsedPrometheusOptions {
  const r = prometheusOptionsSchema.safeParse(input);
  if (!r.success) {
    // Zod echoes neither values nor secrets in these messages, only paths and rules.
    throw new VigilError('E_PROMETHEUS_OPTIONS', `prometheus options: ${describeZod(r.error)}`);
  }
  return r.data;
}
