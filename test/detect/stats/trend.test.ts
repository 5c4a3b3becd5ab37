import { TrendTest } from '../../../src/detect/stats/trend.js';
import { createEnsembleFactory } from '../../../src/detect/index.js';
import type { SeriesRef } from '../../../src/domain/index.js';
import { gauss, rng, T0 } from '../synth.js';

const run = (xs: readonly number[], t = TrendTest.create()): number[] => xs.map((x) => t.update(x));
const noise = (n: number, seed: number, sd = 1): number[] => {
  const r = rng(seed);
  return Array.from({ length: n }, () => sd * gauss(r));
};

describe('TrendTest (stats/trend)', () => {
  it('says nothing until its window is full', () => {
    expect(run(noise(29, 1)).every((v) => v === 0)).toBe(true);
    expect(run(noise(30, 1)).at(-1)).not.toBe(0);
  });

  it('grows with a steady rise and keeps its sign, while noise stays small', () => {
    const xs = noise(600, 2);
    // from point 400: +0.2 noise scales a point, a leak that no single point shows
    const leak = xs.map((v, i) => (i >= 400 ? v + 0.2 * (i - 400) : v));
    const s = run(leak);
    const calm = Math.max(...s.slice(30, 400).map(Math.abs));
    expect(calm).toBeLessThan(2);
    // 60 points in, the rise over 15 points is 3 noise scales and the statistic says so for every later point
    expect(Math.min(...s.slice(460, 600))).toBeGreaterThan(calm);
    expect(Math.min(...run(xs.map((v, i) => (i >= 400 ? v - 0.2 * (i - 400) : v))).slice(460, 600))).toBeLessThan(
      -calm,
    );
  });

  it('is one-sided: a resource that fills by falling (free space) counts a fall as its rise', () => {
    const fall = noise(200, 7).map((v, i) => (i >= 100 ? v - 0.3 * (i - 100) : v));
    expect(run(fall, TrendTest.create(-1)).at(-1)!).toBeGreaterThan(2);
    expect(run(fall, TrendTest.create(1)).at(-1)!).toBeLessThan(-2);
  });

  it('ignores one spike and a short burst (a median of 15 paired differences)', () => {
    const xs = noise(300, 3);
    xs[200] = 1e6;
    for (let i = 250; i < 254; i++) xs[i] = 50;
    const s = run(xs);
    expect(Math.max(...s.slice(30).map(Math.abs))).toBeLessThan(2);
  });

  it('estimates the slope per point from the statistic', () => {
    const t = TrendTest.create();
    const s = run(
      noise(300, 4, 0.01).map((v, i) => v + 0.5 * i),
      t,
    );
    expect(t.slopePerPoint(s.at(-1)!)).toBeCloseTo(0.5, 1);
  });

  it('restarts its window when its values change meaning', () => {
    const t = TrendTest.create();
    run(noise(100, 5), t);
    t.restart();
    expect(run([1, 2, 3], t)).toEqual([0, 0, 0]);
  });

  it('continues identically from a snapshot, and refuses a damaged one', () => {
    const xs = noise(300, 6).map((v, i) => (i >= 200 ? v + 0.3 * (i - 200) : v));
    for (const [cut, sign] of [
      [17, 1],
      [137, -1],
    ] as const) {
      const a = TrendTest.create(sign);
      run(xs.slice(0, cut), a);
      const b = TrendTest.restore(JSON.parse(JSON.stringify(a.snapshot())));
      expect(run(xs.slice(cut), b)).toEqual(run(xs.slice(cut), a));
    }
    expect(() => TrendTest.restore({ b: [1, 2], w: [3], s: [0, 0, 0] })).toThrow(/not usable/);
    expect(() => TrendTest.restore({ b: new Array(31).fill(0), w: [30], s: [0, 0, 0] })).toThrow(/not usable/);
    expect(() => TrendTest.restore({ b: [], w: [30], s: [0, -1, 0], d: [1] })).toThrow(/not usable/);
    expect(() => TrendTest.restore({ b: [], w: [30], s: [0, 0, 0], d: [0] })).toThrow(/not usable/);
  });
});

describe('the trend test in the ensemble', () => {
  // A day of 1-minute memory use that wanders a little (a random walk of 0.02 a minute) with noise 0.4,
  // then a leak of +0.14 a minute for 45 minutes (the size of a leak in ../shared/scenarios).
  const r = rng(11),
    MIN = 60_000,
    onset = 20 * 60;
  let walk = 0;
  const pts = Array.from({ length: onset + 60 }, (_, i) => {
    walk += 0.02 * gauss(r);
    return { t: T0 + i * MIN, v: 45 + walk + 0.4 * gauss(r) + (i >= onset && i < onset + 45 ? 0.14 * (i - onset) : 0) };
  });
  const ref = (metric: string): SeriesRef => ({ key: metric, source: 's', metric, service: 'svc', labels: {} });
  const scores = (metric: string, factory = createEnsembleFactory()): number[] => {
    const d = factory.create(ref(metric));
    return pts.map((p) => d.update(p).value);
  };

  it('pages a leak on a resource level sooner than the models without it, and no more before it', () => {
    const mem = scores('memory_pct');
    const without = scores('memory_pct', createEnsembleFactory({ params: { trendMetrics: '^$' } }));
    const first = (s: number[]): number => s.slice(onset).findIndex((v) => v >= 0.5);
    expect(first(mem)).toBeGreaterThanOrEqual(0);
    expect(first(mem) + 5).toBeLessThanOrEqual(first(without));
    const before = (s: number[]): number => s.slice(300, onset).filter((v) => v >= 0.5).length;
    expect(before(mem)).toBeLessThanOrEqual(before(without));
  });

  it('does not page memory released (a restart, a cache flush): a fall is not a leak', () => {
    // the same day with the leak turned into a fall of 0.14 a minute
    const drop = pts.map((p, i) => ({ t: p.t, v: i >= onset && i < onset + 45 ? p.v - 0.28 * (i - onset) : p.v }));
    const trendScores = (series: readonly { t: number; v: number }[]): number[] => {
      const d = createEnsembleFactory().create(ref('memory_pct'));
      return series
        .map((p) => d.update(p).contributors.find((c) => c.model === 'trend')?.score ?? NaN)
        .slice(onset, onset + 45);
    };
    // the trend test's own evidence: none while memory falls, overwhelming while it leaks
    expect(Math.max(...trendScores(drop))).toBeLessThan(0.5);
    expect(Math.max(...trendScores(pts))).toBeGreaterThan(0.99);
  });

  it('runs only on metrics named as resource levels: a latency keeps the models it had', () => {
    const f = createEnsembleFactory();
    const lat = f.create(ref('latency_p95_ms')).snapshot() as { models: string[] };
    const conn = f.create(ref('connections')).snapshot() as { models: string[] };
    expect(lat.models).not.toContain('trend');
    expect(conn.models).toContain('trend');
    expect(scores('latency_p95_ms')).toEqual(
      scores('latency_p95_ms', createEnsembleFactory({ params: { trendMetrics: '^$' } })),
    );
  });

  it('restores a snapshot made before the trend test, adding a fresh one', () => {
    const old = createEnsembleFactory({ params: { trendMetrics: '^$' } });
    const d = old.create(ref('memory_pct'));
    for (const p of pts.slice(0, 500)) d.update(p);
    const snap = JSON.parse(JSON.stringify(d.snapshot())) as { models: string[] };
    expect(snap.models).not.toContain('trend');
    const restored = createEnsembleFactory().restore(ref('memory_pct'), snap);
    expect((restored.snapshot() as { models: string[] }).models).toContain('trend');
    expect(Number.isFinite(restored.update(pts[500]!).value)).toBe(true);
  });

  it('rejects a trendMetrics that is not a regular expression, saying so', () => {
    expect(() => createEnsembleFactory({ params: { trendMetrics: '(' } })).toThrow(
      /trendMetrics is not a regular expression/,
    );
  });
});
