/**
 * Cost and size estimates for `vigil start` (monthly cost) and
 * `vigil backfill` (calls and datapoints). Pure arithmetic.
 *
 * Price: GetMetricData costs USD 0.01 per 1,000 metrics requested (standard
 * region price, e.g. us-east-1, from https://aws.amazon.com/cloudwatch/pricing/
 * "API" section; GetMetricData is outside the free tier). AWS bills by metrics
 * requested, not by calls or datapoints; some regions cost more, so treat the
 * figure as a floor.
 */
import { MAX_QUERIES_PER_CALL } from './fetch.js';

export const GET_METRIC_DATA_USD_PER_1000_METRICS = 0.01;
/** GetMetricData returns at most 100,800 datapoints per call; more needs NextToken pages. */
export const MAX_DATAPOINTS_PER_CALL = 100_800;
/** A 30-day month, in seconds. */
export const SECONDS_PER_MONTH = 30 * 86_400;

export interface MonthlyCost {
  readonly getMetricDataCallsPerMonth: number;
  readonly metricsRequestedPerMonth: number;
  readonly usd: number;
}

/** One poll of `metrics` metrics every `pollIntervalSeconds`, for 30 days. */
export function estimateMonthlyCost(input: { metrics: number; pollIntervalSeconds: number }): MonthlyCost {
  const { metrics, pollIntervalSeconds } = input;
  if (!(metrics >= 0) || !(pollIntervalSeconds > 0))
    throw new RangeError('estimateMonthlyCost: metrics >= 0 and pollIntervalSeconds > 0');
  const polls = Math.ceil(SECONDS_PER_MONTH / pollIntervalSeconds);
  const callsPerPoll = Math.ceil(metrics / MAX_QUERIES_PER_CALL);
  const metricsRequestedPerMonth = metrics * polls;
  // Round to cents; the estimate is for a log line, not an invoice.
  const usd = Math.round((metricsRequestedPerMonth / 1000) * GET_METRIC_DATA_USD_PER_1000_METRICS * 100) / 100;
  return { getMetricDataCallsPerMonth: callsPerPoll * polls, metricsRequestedPerMonth, usd };
}

export interface BackfillEstimate {
  readonly getMetricDataCalls: number;
  readonly datapoints: number;
  readonly metricsRequested: number;
  readonly usd: number;
}

/**
 * Backfilling `metrics` metrics from `sinceMs` (epoch ms) to `nowMs` (default
 * Date.now()) at `periodSeconds`: each batch of up to 500 metrics needs as
 * many calls (pages) as its datapoints / 100,800, and every page is billed
 * for the batch's metrics.
 */
export function estimateBackfill(input: {
  metrics: number;
  sinceMs: number;
  periodSeconds: number;
  nowMs?: number;
}): BackfillEstimate {
  const { metrics, sinceMs, periodSeconds } = input;
  const nowMs = input.nowMs ?? Date.now();
  if (!(metrics >= 0) || !(periodSeconds > 0) || !(nowMs >= sinceMs))
    throw new RangeError('estimateBackfill: metrics >= 0, periodSeconds > 0, sinceMs <= now');
  const perMetric = Math.floor((nowMs - sinceMs) / (periodSeconds * 1000));
  let calls = 0;
  let metricsRequested = 0;
  for (let left = metrics; left > 0; left -= MAX_QUERIES_PER_CALL) {
    const batch = Math.min(left, MAX_QUERIES_PER_CALL);
    const pages = Math.max(1, Math.ceil((batch * perMetric) / MAX_DATAPOINTS_PER_CALL));
    calls += pages;
    metricsRequested += pages * batch;
  }
  const usd = Math.round((metricsRequested / 1000) * GET_METRIC_DATA_USD_PER_1000_METRICS * 100) / 100;
  return { getMetricDataCalls: calls, datapoints: perMetric * metrics, metricsRequested, usd };
}
