import { LoadTest } from '../../../src/detect/stats/load.js';
import { createEnsembleFactory } from '../../../src/detect/index.js';
import type { SeriesRef } from '../../../src/domain/index.js';
import { gauss, rng, T0 } from '../synth.js';

const MIN = 60_000;

/**
 * A day and a half of 1-minute traffic with a working-day swing (2,000 to
 * 10,000 requests a minute, a noisy ramp) and CPU that follows it: 5% +
 * 0.004% per request, noise 1. From `onset`, each request costs `cost`
 * times as much (a costlier release); `onset` falls on the morning ramp, when
 * CPU rises by 20 points in two hours without any regression.
 */
function day(seed: number, onset: number, cost: number): { load: number[]; cpu: number[] } {
  const r = rng(seed);
  const load: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 2160; i++) {
    const hour = (i / 60) % 24;
    const l = 2000 + 8000 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14)) + 200 * gauss(r);
    load.push(l);
    cpu.push(5 + 0.004 * l * (i >= onset ? cost : 1) + gauss(r));
  }
  return { load, cpu };
}
const ONSET = 1440 + 9 * 60; // 09:00 on the second day, on the morning ramp

const run = (load: readonly (number | undefined)[], cpu: readonly number[], t = LoadTest.create()): number[] =>
  cpu.map((c, i) => t.update(load[i], c));

describe('LoadTest (stats/load)', () => {
  it('stays small through the daily swing, and stands out as soon as each request costs more', () => {
    const { load, cpu } = day(1, ONSET, 1.25);
    const s = run(load, cpu);
    const calm = Math.max(...s.slice(300, ONSET).map(Math.abs));
    expect(calm).toBeLessThan(4);
    // Within K points of the onset the statistic is past anything the swing gave, and it stays there for an hour.
    expect(Math.min(...s.slice(ONSET + 5, ONSET + 65))).toBeGreaterThan(2 * calm);
  });

  it('says nothing while warming up or without a load value, and then leaves its state alone', () => {
    const { load, cpu } = day(2, 99_999, 1);
    const t = LoadTest.create();
    const s = run(load.slice(0, 40), cpu.slice(0, 40), t);
    expect(s.slice(0, 30).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(s[35]!)).toBe(false);
    const before = JSON.stringify(t.snapshot());
    expect(Number.isNaN(t.update(undefined, 50))).toBe(true);
    expect(Number.isNaN(t.update(Number.NaN, 50))).toBe(true);
    expect(Number.isNaN(t.predicted)).toBe(true);
    expect(JSON.stringify(t.snapshot())).toBe(before);
  });

  it('predicts use from load: the fit recovers the cost per request', () => {
    const { load, cpu } = day(3, 99_999, 1);
    const t = LoadTest.create();
    run(load.slice(0, 1400), cpu.slice(0, 1400), t);
    expect(t.expected(2000)).toBeCloseTo(13, 0);
    expect(t.expected(10_000)).toBeCloseTo(45, 0);
  });

  it('is one-sided in the direction the resource fills: less use per request is not evidence', () => {
    const { load, cpu } = day(4, ONSET, 0.75);
    const s = run(load, cpu);
    expect(Math.max(...s.slice(ONSET + 5, ONSET + 65))).toBeLessThan(-4);
    expect(Math.min(...run(load, cpu, LoadTest.create(-1)).slice(ONSET + 5, ONSET + 65))).toBeGreaterThan(4);
  });

  it('continues identically from a snapshot, and refuses a damaged one', () => {
    const { load, cpu } = day(5, 1000, 1.3);
    for (const cut of [3, 17, 700]) {
      const a = LoadTest.create();
      run(load.slice(0, cut), cpu.slice(0, cut), a);
      const b = LoadTest.restore(JSON.parse(JSON.stringify(a.snapshot())));
      expect(run(load.slice(cut), cpu.slice(cut), b)).toEqual(run(load.slice(cut), cpu.slice(cut), a));
    }
    const good = LoadTest.create().snapshot() as Record<string, unknown>;
    expect(() => LoadTest.restore({ ...good, f: [0, 0, 0, -1, 0, 0, 0] })).toThrow(/not usable/);
    expect(() => LoadTest.restore({ ...good, f: [0, 0, 0, 0, 0, 5, 0] })).toThrow(/not usable/);
    expect(() => LoadTest.restore({ ...good, r: [0, 0] })).toThrow(/not usable/);
    expect(() => LoadTest.restore({ ...good, d: [0] })).toThrow(/not usable/);
  });
});

describe('the load test in the ensemble', () => {
  const ref = (metric: string): SeriesRef => ({ key: metric, source: 's', metric, service: 'svc', labels: {} });
  const { load, cpu } = day(11, ONSET, 1.25);
  const scores = (metric: string, withLoad: boolean, factory = createEnsembleFactory()) => {
    const d = factory.create(ref(metric));
    return cpu.map((v, i) => d.update({ t: T0 + i * MIN, v }, withLoad ? load[i] : undefined));
  };

  it('pages a costlier release on the morning ramp that CPU judged alone does not', () => {
    const first = (s: { value: number }[]): number => s.slice(ONSET, ONSET + 60).findIndex((x) => x.value >= 0.5);
    const judged = scores('cpu_pct', true);
    expect(first(judged)).toBeGreaterThanOrEqual(0);
    expect(first(judged)).toBeLessThan(15);
    expect(first(scores('cpu_pct', false))).toBe(-1);
    // Explained against load: the expected value is the use the fit predicts at this load, the pre-release cost.
    const at = ONSET + first(judged);
    const hit = judged[at]!;
    expect(hit.kind).toBe('level_shift');
    expect(hit.expected).toBeCloseTo(5 + 0.004 * load[at]!, -0.5);
    expect(hit.contributors.find((c) => c.model === 'load')!.score).toBeGreaterThan(0.99);
  });

  it('gives up its share when no load comes, and does not page the daily swing with or without it', () => {
    const before = (s: { value: number }[]): number => s.slice(300, ONSET).filter((x) => x.value >= 0.5).length;
    expect(before(scores('cpu_pct', true))).toBeLessThanOrEqual(before(scores('cpu_pct', false)));
    // Without load, a CPU series scores as it did before the load test existed.
    const off = createEnsembleFactory({ params: { loadMetrics: '^$' } });
    expect(scores('cpu_pct', false).map((s) => s.value)).toEqual(scores('cpu_pct', false, off).map((s) => s.value));
  });

  it('runs only on load-driven metrics: memory and latency keep the models they had', () => {
    const f = createEnsembleFactory();
    const models = (m: string): string[] => (f.create(ref(m)).snapshot() as { models: string[] }).models;
    expect(models('cpu_pct')).toContain('load');
    expect(models('CPUUtilization')).toContain('load');
    expect(models('memory_pct')).not.toContain('load');
    expect(models('latency_p95_ms')).not.toContain('load');
  });

  it('restores a snapshot made before the load test, adding a fresh one', () => {
    const old = createEnsembleFactory({ params: { loadMetrics: '^$' } });
    const d = old.create(ref('cpu_pct'));
    for (let i = 0; i < 500; i++) d.update({ t: T0 + i * MIN, v: cpu[i]! });
    const snap = JSON.parse(JSON.stringify(d.snapshot())) as { models: string[] };
    expect(snap.models).not.toContain('load');
    const restored = createEnsembleFactory().restore(ref('cpu_pct'), snap);
    expect((restored.snapshot() as { models: string[] }).models).toContain('load');
    expect(Number.isFinite(restored.update({ t: T0 + 500 * MIN, v: cpu[500]! }, load[500]).value)).toBe(true);
  });

  it('rejects a loadMetrics that is not a regular expression, saying so', () => {
    expect(() => createEnsembleFactory({ params: { loadMetrics: '[' } })).toThrow(
      /loadMetrics is not a regular expression/,
    );
  });
});
