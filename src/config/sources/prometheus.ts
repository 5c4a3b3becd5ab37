/**
 * The `sources.prometheus` section of the config: the zod schemas config
 * embeds (sources/prometheus/options.ts parses them, reports
 * E_PROMETHEUS_OPTIONS, and adds the query params workers re-check). Here,
 * not in sources/, because config/ sits below every adapter. Pure.
 */
import { z } from 'zod';
import { checkUniqueQueryIds } from './query-ids.js';

/** Query ids become job ids and cursor keys: keep them short and shell-safe. */
const QUERY_ID = /^[A-Za-z_][\w.-]{0,127}$/;
/** Ids the source generates (generatedQueryId); user ids may not take this form so the two never collide. */
const GENERATED_ID = /^q_[0-9a-f]{12}$/;

const httpUrl = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http(s) URL such as http://127.0.0.1:9090' },
);

export const prometheusQuerySchema = z
  .object({
    id: z
      .string()
      .regex(QUERY_ID, 'must match ^[A-Za-z_][\\w.-]*$ (at most 128 characters)')
      .refine((s) => !GENERATED_ID.test(s), {
        message: 'ids of the form q_<12 hex digits> are reserved for generated ids',
      })
      .optional(),
    promql: z.string().trim().min(1, 'must not be empty'),
    /** Fixed service for every series of this query; wins over serviceLabel. */
    service: z.string().min(1).optional(),
    /** Label whose value names the service; absent: `service`, then `job`. */
    serviceLabel: z.string().min(1).optional(),
    // Prometheus refuses more than 11,000 points per series; whole seconds keep start/end aligned exactly.
    stepSeconds: z.number().int().min(1).max(86_400).default(60),
  })
  .strict();

const authSchema = z.union([
  z.object({ bearerToken: z.string().min(1) }).strict(),
  z.object({ username: z.string().min(1), password: z.string() }).strict(),
]);

export const prometheusOptionsSchema = z
  .object({
    url: httpUrl,
    queries: z.array(prometheusQuerySchema).min(1, 'configure at least one query'),
    auth: authSchema.optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  })
  .strict()
  .superRefine((o, ctx) => {
    checkUniqueQueryIds(o.queries, ctx);
  });

export type PrometheusOptions = z.input<typeof prometheusOptionsSchema>;
export type ParsedPrometheusOptions = z.output<typeof prometheusOptionsSchema>;
export type PrometheusAuth = z.output<typeof authSchema>;
