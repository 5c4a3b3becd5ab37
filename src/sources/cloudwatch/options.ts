/**
 * CloudWatch source options and query params: the zod schemas config embeds
 * and workers re-check. Pure. Failure mode: a VigilError with code
 * E_CLOUDWATCH_OPTIONS (options) or E_CLOUDWATCH_QUERY (params of a query),
 * naming every bad path, e.g. `queries.0.periodSeconds: ...`.
 */
import { z } from 'zod';
import { checkUniqueQueryIds } from '../query-ids.js';
import { VigilError } from '../../domain/index.js';

/** GetMetricData's rule for MetricDataQuery ids. */
export const QUERY_ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
/** Ids this source generates for queries without one; user ids may not take this form. */
export const GENERATED_ID_PATTERN = /^m\d+$/;

const BASIC_STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
// Extended statistics CloudWatch accepts: percentiles (p99, p99.9), trimmed/winsorized
// means and counts/sums (tm90, wm99, tc90, ts90) and their range forms (TM(10%:90%), PR(:300)).
const EXTENDED_STAT = /^(?:p(?:100|\d{1,2}(?:\.\d{1,10})?)|(?:tm|wm|tc|ts)\d{1,2}(?:\.\d{1,10})?|(?:TM|WM|TC|TS|PR|IQM)(?:\([^()]*\))?)$/;

export const statisticSchema = z.string().refine(
  (s) => (BASIC_STATS as readonly string[]).includes(s) || EXTENDED_STAT.test(s),
  { message: `must be one of ${BASIC_STATS.join(', ')} or an extended statistic such as p50, p90, p95, p99, p99.9, tm90` },
);

// CloudWatch periods: 1, 5, 10, 30 (high resolution) or any multiple of 60.
export const periodSchema = z.number().int().positive().refine(
  (p) => p === 1 || p === 5 || p === 10 || p === 30 || p % 60 === 0,
  { message: 'must be 1, 5, 10, 30 or a multiple of 60 (seconds)' },
);

const name = z.string().min(1).max(255);
/** CloudWatch allows at most 30 dimensions per metric. */
const dimensions = z.record(name, z.string().min(1).max(1024))
  .refine((d) => Object.keys(d).length <= 30, { message: 'at most 30 dimensions' });

export const cloudWatchQuerySchema = z.object({
  id: z.string().regex(QUERY_ID_PATTERN, 'must match ^[a-z][a-zA-Z0-9_]*$ (GetMetricData id)')
    .refine((s) => !GENERATED_ID_PATTERN.test(s), { message: 'ids of the form m<digits> are reserved for generated ids' })
    .optional(),
  namespace: name,
  metricName: name,
  dimensions: dimensions.optional(),
  statistic: statisticSchema,
  periodSeconds: periodSchema.default(60),
  service: z.string().min(1).optional(),
}).strict();

export const cloudWatchDiscoverySchema = z.object({
  namespace: name,
  metricName: name.optional(),
  /** name -> value to match, or null to require only that the dimension exists */
  dimensionFilters: z.record(name, z.string().min(1).max(1024).nullable()).optional(),
  statistic: statisticSchema,
  periodSeconds: periodSchema.default(60),
  serviceFromDimension: name.optional(),
  /** Ask ListMetrics only for metrics with data in the past 3 hours, so dead instances are not polled. */
  recentlyActiveOnly: z.boolean().default(true),
}).strict();

export const cloudWatchBudgetSchema = z.object({
  getMetricDataCallsPerHour: z.number().int().positive().optional(),
  metricsPerHour: z.number().int().positive().optional(),
}).strict();

export const cloudWatchOptionsSchema = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1').optional(),
  queries: z.array(cloudWatchQuerySchema).default([]),
  discovery: z.array(cloudWatchDiscoverySchema).default([]),
  lateWindowSeconds: z.number().int().min(0).max(86_400).default(300),
  budget: cloudWatchBudgetSchema.default({}),
  discoveryIntervalSeconds: z.number().int().min(60).default(900),
}).strict().superRefine((o, ctx) => {
  checkUniqueQueryIds(o.queries, ctx);
  if (o.queries.length === 0 && o.discovery.length === 0) {
    ctx.addIssue({ code: 'custom', path: [], message: 'configure at least one of queries or discovery' });
  }
});

export type CloudWatchOptions = z.input<typeof cloudWatchOptionsSchema>;
export type ParsedCloudWatchOptions = z.output<typeof cloudWatchOptionsSchema>;
export type CloudWatchBudget = z.output<typeof cloudWatchBudgetSchema>;

/** One metric to poll, with defaults and service resolved: the unit of a query's params. */
export const metricSpecSchema = z.object({
  id: z.string().regex(QUERY_ID_PATTERN).optional(),
  namespace: name,
  metricName: name,
  dimensions,
  statistic: statisticSchema,
  service: z.string().min(1),
}).strict();
export type MetricSpec = z.output<typeof metricSpecSchema>;

/** Params of one SourceQuery: everything a worker needs to fetch it. */
export const queryParamsSchema = z.object({
  region: z.string().optional(),
  periodSeconds: periodSchema,
  lateWindowSeconds: z.number().int().min(0).max(86_400),
  budget: cloudWatchBudgetSchema,
  metrics: z.array(metricSpecSchema).min(1),
}).strict();
export type QueryParams = z.output<typeof queryParamsSchema>;

export function describeZod(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseCloudWatchOptions(input: unknown): ParsedCloudWatchOptions {
  const r = cloudWatchOptionsSchema.safeParse(input);
  if (!r.success) throw new VigilError('E_CLOUDWATCH_OPTIONS', `cloudwatch options: ${describeZod(r.error)}`);
  return r.data;
}
