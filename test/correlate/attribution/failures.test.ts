/** Failed requests from an error series and a load series (failures.ts). */
import { failureRise, failures, isErrorMetric } from '../../../src/correlate/attribution/failures.js';
import { MIN, series, step, T0 } from './helpers.js';

const at = (m: number, v: number) => ({ t: T0 + m * MIN, v });

describe('failures', () => {
  test('an error rate is a share of the requests at the same instant', () => {
    const out = failures([
      { metric: 'error_rate', points: [at(0, 0.01), at(1, 0.02), at(2, 0.5)] },
      { metric: 'requests', points: [at(0, 1000), at(1, 500)] },
    ]);
    // The instant with no load is left out, not guessed.
    expect(out).toEqual([at(0, 10), at(1, 10)]);
  });

  test('a percentage (by name, or by values above 1) is divided by 100', () => {
    const load = { metric: 'requests', points: [at(0, 1000)] };
    expect(failures([{ metric: 'http_5xx_pct', points: [at(0, 2)] }, load])).toEqual([at(0, 20)]);
    expect(failures([{ metric: 'error_rate', points: [at(0, 3)] }, load])).toEqual([at(0, 30)]);
  });

  test('a count of errors is failures already; a share without a load series, or no error series, says nothing', () => {
    expect(failures([{ metric: 'errors_total', points: [at(0, 7)] }])).toEqual([at(0, 7)]);
    expect(failures([{ metric: 'error_rate', points: [at(0, 0.1)] }])).toBeNull();
    expect(failures([{ metric: 'latency_p95_ms', points: [at(0, 100)] }])).toBeNull();
  });

  test('error latency is not an error series', () => {
    expect(isErrorMetric('error_rate')).toBe(true);
    expect(isErrorMetric('5xx')).toBe(true);
    expect(isErrorMetric('error_latency_ms')).toBe(false);
    expect(isErrorMetric('request_duration_seconds')).toBe(false);
  });
});

describe('failureRise', () => {
  test('the median failures a sample after the instant minus before', () => {
    const rise = failureRise(
      [
        { metric: 'error_rate', points: series(0, 60, step(30, 0.01, 0.03), 0, 1) },
        { metric: 'requests', points: series(0, 60, () => 500, 0, 2) },
      ],
      T0 + 30 * MIN,
      10 * MIN,
    );
    expect(rise).toBeCloseTo(10, 6);
  });

  test('too few samples on a side: null', () => {
    const points = [at(0, 1), at(1, 1), at(2, 5)];
    expect(failureRise([{ metric: 'errors', points }], T0 + 2 * MIN, 10 * MIN)).toBeNull();
  });
});
