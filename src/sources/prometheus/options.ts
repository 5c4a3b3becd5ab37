/**
 * Prometheus source options and query params: the zod schemas config embeds
 * and workers re-check. Pure. Failure mode: a VigilError with code
 * E_PROMETHEUS_OPTIONS (options) or E_PROMETHEUS_QUERY (params of a query),
 * naming every bad path, e.g. `queries.0.stepSeconds: ...`.
 *
 * Secrets (auth, credentials in the URL) stay in the options: query params
 * travel through the queue and into logs, so they carry only the PromQL and
 * how to name its series.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkUniqueQueryIds } from '../query-ids.js';
import { VigilError } from '../../domain/index.js';

export const SOURCE_ID = 'prometheus';

/** Query ids become job ids and cursor keys: keep them short and shell-safe. */
const QUERY_ID = /^[A-Za-z_][\w.-]{0,127}$/;
/** Ids this source generates; user ids may not take this form so the two never collide. */
const GENERATED_ID = /^q_[0-9a-f]{12}$/;

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, { message: 'must be an http(s) URL such as http://127.0.0.1:9090' });

export const prometheusQuerySchema = z.object({
  id: z.string().regex(QUERY_ID, 'must match ^[A-Za-z_][\\w.-]*$ (at most 128 characters)')
    .refine((s) => !GENERATED_ID.test(s), { message: 'ids of the form q_<12 hex digits> are reserved for generated ids' })
    .optional(),
  promql: z.string().trim().min(1, 'must not be empty'),
  /** Fixed service for every series of this query; wins over serviceLabel. */
  service: z.string().min(1).optional(),
  /** Label whose value names the service; absent: `service`, then `job`. */
  serviceLabel: z.string().min(1).optional(),
  // Prometheus refuses more than 11,000 points per series; whole seconds keep start/end aligned exactly.
  stepSeconds: z.number().int().min(1).max(86_400).default(60),
}).strict();

const authSchema = z.union([
  z.object({ bearerToken: z.string().min(1) }).strict(),
  z.object({ username: z.string().min(1), password: z.string() }).strict(),
]);

export const prometheusOptionsSchema = z.object({
  url: httpUrl,
  queries: z.array(prometheusQuerySchema).min(1, 'configure at least one query'),
  auth: authSchema.optional(),
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
}).strict().superRefine((o, ctx) => {
  checkUniqueQueryIds(o.queries, ctx);
});

export type PrometheusOptions = z.input<typeof prometheusOptionsSchema>;
export type ParsedPrometheusOptions = z.output<typeof prometheusOptionsSchema>;
export type PrometheusAuth = z.output<typeof authSchema>;

/** Params of one SourceQuery: what a worker needs besides the connection. */
export const queryParamsSchema = z.object({
  promql: z.string().min(1),
  stepSeconds: z.number().int().min(1).max(86_400),
  /** metric name for series without __name__ (e.g. results of rate()) */
  metric: z.string().min(1),
  service: z.string().min(1).optional(),
  serviceLabel: z.string().min(1).optional(),
}).strict();
export type QueryParams = z.output<typeof queryParamsSchema>;

export function describeZod(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Stable id for a query without one: derived from the PromQL, not the list
 * position, because cursors are keyed by query id and must survive reordering.
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
