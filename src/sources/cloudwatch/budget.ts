/**
 * Sliding one-hour budget of GetMetricData calls and metrics requested, per
 * source instance (so per process). Contract: `reserve` checks a planned
 * fetch against the limits and throws E_CLOUDWATCH_BUDGET (retryable: the
 * window slides) before anything is sent; `record` counts each call actually
 * made, pagination pages included, since AWS bills every call.
 * Effects: in-memory only.
 */
import { VigilError } from '../../domain/index.js';
import type { CloudWatchBudget } from './options.js';

const HOUR_MS = 3_600_000;

export class SlidingBudget {
  private readonly calls: Array<{ t: number; metrics: number }> = [];

  constructor(
    private readonly limits: CloudWatchBudget,
    private readonly now: () => number,
  ) {}

  private prune(): { calls: number; metrics: number } {
    const cutoff = this.now() - HOUR_MS;
    while (this.calls.length > 0 && this.calls[0]!.t <= cutoff) this.calls.shift();
    return { calls: this.calls.length, metrics: this.calls.reduce((s, c) => s + c.metrics, 0) };
  }

  /** Throws when `calls` more calls requesting `metrics` metrics in total would pass a limit. */
  reserve(calls: number, metrics: number, queryId: string): void {
    const used = this.prune();
    const { getMetricDataCallsPerHour: maxCalls, metricsPerHour: maxMetrics } = this.limits;
    const over: string[] = [];
    if (maxCalls !== undefined && used.calls + calls > maxCalls) {
      over.push(
        `${used.calls} GetMetricData calls in the last hour + ${calls} planned > budget.getMetricDataCallsPerHour ${maxCalls}`,
      );
    }
    if (maxMetrics !== undefined && used.metrics + metrics > maxMetrics) {
      over.push(
        `${used.metrics} metrics requested in the last hour + ${metrics} planned > budget.metricsPerHour ${maxMetrics}`,
      );
    }
    if (over.length > 0) {
      throw new VigilError(
        'E_CLOUDWATCH_BUDGET',
        `cloudwatch query ${queryId} refused to stay within budget: ${over.join('; ')}. ` +
          'It runs again when the hour window slides; raise the budget or poll fewer metrics less often.',
        true,
      );
    }
  }

  record(metrics: number): void {
    this.calls.push({ t: this.now(), metrics });
  }
}
