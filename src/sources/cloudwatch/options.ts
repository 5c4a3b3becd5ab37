/**
 * CloudWatch source options and query params: config/sources/cloudwatch.ts
 * holds the option schemas config embeds; this file adds the query params
 * workers re-check and the parsing. Pure. Failure mode: a VigilError with code
 * E_CLOUDWATCH_OPTIONS (options) or E_CLOUDWATCH_QUERY (params of a query),
 * naming every bad path, e.g. `queries.0.periodSeconds: ...`.
 */
import { z } from 'zod';
import {
  CLOUDWATCH_QUERY_ID_PATTERN,
  cloudWatchBudgetSchema,
  cloudWatchDimensionsSchema,
  cloudWatchNameSchema,
  cloudWatchOptionsSchema,
  cloudWatchPeriodSchema,
  cloudWatchStatisticSchema,
  type ParsedCloudWatchOptions,
} from '../../config/index.js';
import { VigilError } from '../../domain/index.js';

export {
  cloudWatchBudgetSchema,
  cloudWatchDiscoverySchema,
  cloudWatchOptionsSchema,
  cloudWatchQuerySchema,
  type CloudWatchBudget,
  type CloudWatchOptions,
  type ParsedCloudWatchOptions,
} from '../../config/index.js';

/** One metric to poll, with defaults and service resolved: the unit of a query's params. */
export const metricSpecSchema = z
  .object({
    id: z.string().regex(CLOUDWATCH_QUERY_ID_PATTERN).optional(),
    namespace: cloudWatchNameSchema,
    metricName: cloudWatchNameSchema,
    dimensions: cloudWatchDimensionsSchema,
    statistic: cloudWatchStatisticSchema,
    service: z.string().min(1),
  })
  .strict();
export type MetricSpec = z.output<typeof metricSpecSchema>;

/** Params of one SourceQuery: everything a worker needs to fetch it. */
export const queryParamsSchema = z
  .object({
    region: z.string().optional(),
    periodSeconds: cloudWatchPeriodSchema,
    lateWindowSeconds: z.number().int().min(0).max(86_400),
    budget: cloudWatchBudgetSchema,
    metrics: z.array(metricSpecSchema).min(1),
  })
  .strict();
export type QueryParams = z.output<typeof queryParamsSchema>;

export function describeZod(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseCloudWatchOptions(input: unknown): ParsedCloudWatchOptions {
  const r = cloudWatchOptionsSchema.safeParse(input);
  if (!r.success) throw new VigilError('E_CLOUDWATCH_OPTIONS', `cloudwatch options: ${describeZod(r.error)}`);
  return r.data;
}
