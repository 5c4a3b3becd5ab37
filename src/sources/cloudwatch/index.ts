/** Public surface of the CloudWatch source; the only folder importing @aws-sdk/client-cloudwatch. */
export { createCloudWatchSource, createCloudWatchSourceFromQuery, type CloudWatchDeps } from './source.js';
export {
  cloudWatchOptionsSchema,
  cloudWatchQuerySchema,
  cloudWatchDiscoverySchema,
  cloudWatchBudgetSchema,
  parseCloudWatchOptions,
  type CloudWatchOptions,
  type ParsedCloudWatchOptions,
} from './options.js';
export {
  estimateMonthlyCost,
  estimateBackfill,
  GET_METRIC_DATA_USD_PER_1000_METRICS,
  MAX_DATAPOINTS_PER_CALL,
  type MonthlyCost,
  type BackfillEstimate,
} from './cost.js';
export { MAX_QUERIES_PER_CALL, SOURCE_ID as CLOUDWATCH_SOURCE_ID, alignedWindow } from './fetch.js';
