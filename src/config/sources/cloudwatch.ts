/**
 * The `sources.cloudwatch` section of the config: the zod schemas config
 * embeds, and their building blocks the source reuses for its query params
 * (sources/cloudwatch/options.ts, which parses and reports E_CLOUDWATCH_OPTIONS).
 * Here, not in sources/, because config/ sits below every adapter. Pure.
 */
import { z } from 'zod';
import { checkUniqueQueryIds } from './query-ids.js';

/** GetMetricData's rule for MetricDataQuery ids. */
export const CLOUDWATCH_QUERY_ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
/** Ids this source generates for queries without one; user ids may not take this form. */
const GENERATED_ID_PATTERN = /^m\d+$/;

const BASIC_STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
// Extended statistics CloudWatch accepts: percentiles (p99, p99.9), trimmed/winsorized
// means and counts/sums (tm90, wm99, tc90, ts90) and their range forms (TM(10%:90%), PR(:300)).
const EXTENDED_STAT =
  /^(?:p(?:100|\d{1,2}(?:\.\d{1,10})?)|(?:tm|wm|tc|ts)\d{1,2}(?:\.\d{1,10})?|(?:TM|WM|TC|TS|PR|IQM)(?:\([^()]*\))?)$/;

export const cloudWatchStatisticSchema = z
  .string()
  .refine((s) => (BASIC_STATS as readonly string[]).includes(s) || EXTENDED_STAT.test(s), {
    message: `must be one of ${BASIC_STATS.join(', ')} or an extended statistic such as p50, p90, p95, p99, p99.9, tm90`,
  });

// CloudWatch periods: 1, 5, 10, 30 (high resolution) or any multiple of 60.
export const cloudWatchPeriodSchema = z
  .number()
  .int()
  .positive()
  .refine((p) => p === 1 || p === 5 || p === 10 || p === 30 || p % 60 === 0, {
    message: 'must be 1, 5, 10, 30 or a multiple of 60 (seconds)',
  });

/** Namespace, metric and dimension names. */
export const cloudWatchNameSchema = z.string().min(1).max(255);
/** CloudWatch allows at most 30 dimensions per metric. */
export const cloudWatchDimensionsSchema = z
  .record(cloudWatchNameSchema, z.string().min(1).max(1024))
  .refine((d) => Object.keys(d).length <= 30, { message: 'at most 30 dimensions' });

export const cloudWatchQuerySchema = z
  .object({
    id: z
      .string()
      .regex(CLOUDWATCH_QUERY_ID_PATTERN, 'must match ^[a-z][a-zA-Z0-9_]*$ (GetMetricData id)')
      .refine((s) => !GENERATED_ID_PATTERN.test(s), {
        message: 'ids of the form m<digits> are reserved for generated ids',
      })
      .optional(),
    namespace: cloudWatchNameSchema,
    metricName: cloudWatchNameSchema,
    dimensions: cloudWatchDimensionsSchema.optional(),
    statistic: cloudWatchStatisticSchema,
    periodSeconds: cloudWatchPeriodSchema.default(60),
    service: z.string().min(1).optional(),
  })
  .strict();

export const cloudWatchDiscoverySchema = z
  .object({
    namespace: cloudWatchNameSchema,
    metricName: cloudWatchNameSchema.optional(),
    /** name -> value to match, or null to require only that the dimension exists */
    dimensionFilters: z.record(cloudWatchNameSchema, z.string().min(1).max(1024).nullable()).optional(),
    statistic: cloudWatchStatisticSchema,
    periodSeconds: cloudWatchPeriodSchema.default(60),
    serviceFromDimension: cloudWatchNameSchema.optional(),
    /** Ask ListMetrics only for metrics with data in the past 3 hours, so dead instances are not polled. */
    recentlyActiveOnly: z.boolean().default(true),
  })
  .strict();

export const cloudWatchBudgetSchema = z
  .object({
    getMetricDataCallsPerHour: z.number().int().positive().optional(),
    metricsPerHour: z.number().int().positive().optional(),
  })
  .strict();

export const cloudWatchOptionsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1')
      .optional(),
    queries: z.array(cloudWatchQuerySchema).default([]),
    discovery: z.array(cloudWatchDiscoverySchema).default([]),
    lateWindowSeconds: z.number().int().min(0).max(86_400).default(300),
    budget: cloudWatchBudgetSchema.default({}),
    discoveryIntervalSeconds: z.number().int().min(60).default(900),
  })
  .strict()
  .superRefine((o, ctx) => {
    checkUniqueQueryIds(o.queries, ctx);
    if (o.queries.length === 0 && o.discovery.length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'configure at least one of queries or discovery' });
    }
  });

export type CloudWatchOptions = z.input<typeof cloudWatchOptionsSchema>;
export type ParsedCloudWatchOptions = z.output<typeof cloudWatchOptionsSchema>;
export type CloudWatchBudget = z.output<typeof cloudWatchBudgetSchema>;
