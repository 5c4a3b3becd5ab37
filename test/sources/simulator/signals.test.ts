import type { Series } from '../../../src/domain/index.js';
import { DAY, HOUR, START, correlation, fetchAll, mean, sim } from './helpers.js';

/** Values on the full 1-minute grid; gaps filled with the previous value so lags line up. */
function grid(series: Series, from: number, to: number): number[] {
  const byT = new Map(series.points.map((p) => [p.t, p.v]));
  const out: number[] = [];
  let last = series.points[0]?.v ?? 0;
  for (let t = from; t < to; t += 60_000) {
    last = byT.get(t) ?? last;
    out.push(last);
  }
  return out;
}

describe('simulator signals', () => {
  let all: Map<string, Series>;
  beforeAll(async () => {
    all = await fetchAll(sim({ seed: 11, durationMs: 7 * DAY }), START, START + 7 * DAY);
  });

  it('repeats daily: load correlates strongly a day apart and inversely half a day apart', () => {
    for (const service of ['checkout', 'payments', 'search', 'auth']) {
      const v = grid(all.get(`${service}/request_rate`)!, START, START + 5 * DAY);
      const lag = (n: number) => correlation(v.slice(0, v.length - n), v.slice(n));
      expect(lag(1440)).toBeGreaterThan(0.8);
      expect(lag(720)).toBeLessThan(0);
    }
  });

  it('has a weekly cycle: weekends are quieter than weekdays', () => {
    const rate = all.get('checkout/request_rate')!.points;
    const between = (from: number, to: number) => mean(rate.filter((p) => p.t >= from && p.t < to).map((p) => p.v));
    const wednesday = between(START + 2 * DAY, START + 3 * DAY);
    const saturday = between(START + 5 * DAY, START + 6 * DAY);
    expect(saturday).toBeLessThan(0.9 * wednesday);
  });

  it('correlates cpu and latency with request rate', () => {
    for (const service of ['checkout', 'search']) {
      const window = [START, START + 18 * HOUR] as const; // inside the warm-up: no incidents
      const rate = grid(all.get(`${service}/request_rate`)!, ...window);
      expect(correlation(rate, grid(all.get(`${service}/cpu_pct`)!, ...window))).toBeGreaterThan(0.8);
      expect(correlation(rate, grid(all.get(`${service}/latency_p95_ms`)!, ...window))).toBeGreaterThan(0.2);
    }
  });

  it('is noisier at higher levels (heteroscedastic)', () => {
    const rate = grid(all.get('search/request_rate')!, START, START + DAY);
    const diffs = rate.slice(1).map((v, i) => Math.abs(v - (rate[i] ?? v)));
    const byLevel = rate
      .slice(1)
      .map((v, i) => [v, diffs[i] ?? 0] as const)
      .sort((a, b) => a[0] - b[0]);
    const q = Math.floor(byLevel.length / 4);
    const low = mean(byLevel.slice(0, q).map((x) => x[1]));
    const high = mean(byLevel.slice(-q).map((x) => x[1]));
    expect(high).toBeGreaterThan(1.2 * low);
  });
});
