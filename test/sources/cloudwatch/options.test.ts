import {
  cloudWatchOptionsSchema,
  createCloudWatchSource,
  estimateBackfill,
  estimateMonthlyCost,
} from '../../../src/sources/cloudwatch/index.js';
import { VigilError } from '../../../src/domain/index.js';
import { client } from './helpers.js';

function optionsError(opts: unknown): VigilError {
  try {
    createCloudWatchSource(opts as never, { client: client() });
  } catch (err) {
    return err as VigilError;
  }
  throw new Error('expected createCloudWatchSource to throw');
}

describe('cloudwatch options', () => {
  it('names the bad path and the rule it broke', () => {
    const err = optionsError({
      queries: [{ namespace: 'AWS/EC2', metricName: 'CPUUtilization', statistic: 'Average', periodSeconds: 90 }],
    });
    expect(err).toBeInstanceOf(VigilError);
    expect(err.code).toBe('E_CLOUDWATCH_OPTIONS');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      'cloudwatch options: queries.0.periodSeconds: must be 1, 5, 10, 30 or a multiple of 60 (seconds)',
    );
  });

  it('rejects unknown statistics, bad ids, unknown keys and an empty config', () => {
    expect(optionsError({ queries: [{ namespace: 'N', metricName: 'M', statistic: 'Mean' }] }).message).toContain(
      'queries.0.statistic: must be one of Average',
    );
    expect(
      optionsError({ queries: [{ id: 'Bad-Id', namespace: 'N', metricName: 'M', statistic: 'p99' }] }).message,
    ).toContain('queries.0.id: must match');
    expect(
      optionsError({ queries: [{ id: 'm1', namespace: 'N', metricName: 'M', statistic: 'p99' }] }).message,
    ).toContain('reserved');
    expect(optionsError({ queries: [], lateWindow: 5 }).message).toMatch(/lateWindow/);
    expect(optionsError({}).message).toContain('configure at least one of queries or discovery');
  });

  it('applies defaults and accepts extended statistics', () => {
    const o = cloudWatchOptionsSchema.parse({
      queries: [{ namespace: 'N', metricName: 'M', statistic: 'p99.9' }],
      discovery: [{ namespace: 'AWS/EC2', statistic: 'p90', periodSeconds: 300 }],
    });
    expect(o.lateWindowSeconds).toBe(300);
    expect(o.discoveryIntervalSeconds).toBe(900);
    expect(o.queries[0]!.periodSeconds).toBe(60);
    expect(o.budget).toEqual({});
  });
});

describe('cloudwatch cost estimates', () => {
  it('prices GetMetricData at $0.01 per 1,000 metrics requested over a 30-day month', () => {
    // 1,200 metrics every 60 s: 43,200 polls; 3 calls each; 51,840,000 metrics -> $518.40
    expect(estimateMonthlyCost({ metrics: 1200, pollIntervalSeconds: 60 })).toEqual({
      getMetricDataCallsPerMonth: 129_600,
      metricsRequestedPerMonth: 51_840_000,
      usd: 518.4,
    });
    expect(estimateMonthlyCost({ metrics: 10, pollIntervalSeconds: 300 })).toEqual({
      getMetricDataCallsPerMonth: 8640,
      metricsRequestedPerMonth: 86_400,
      usd: 0.86,
    });
    expect(estimateMonthlyCost({ metrics: 0, pollIntervalSeconds: 60 }).usd).toBe(0);
  });

  it('counts backfill pages by the 100,800-datapoint limit', () => {
    const nowMs = Date.UTC(2024, 0, 15);
    // 14 days of minutes = 20,160 points per metric; 600 metrics = batches of 500 and 100.
    const e = estimateBackfill({ metrics: 600, sinceMs: nowMs - 14 * 86_400_000, periodSeconds: 60, nowMs });
    expect(e.datapoints).toBe(600 * 20_160);
    // 500 * 20,160 = 10,080,000 -> 100 pages; 100 * 20,160 = 2,016,000 -> 20 pages
    expect(e.getMetricDataCalls).toBe(120);
    expect(e.metricsRequested).toBe(100 * 500 + 20 * 100);
    expect(e.usd).toBe(0.52);
    expect(estimateBackfill({ metrics: 1, sinceMs: nowMs - 3_600_000, periodSeconds: 300, nowMs })).toMatchObject({
      getMetricDataCalls: 1,
      datapoints: 12,
    });
  });
});
