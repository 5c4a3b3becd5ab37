import { RangeNovelty } from '../../src/detect/stats/range.js';
import { createEnsembleFactory } from '../../src/detect/index.js';
import type { SeriesRef } from '../../src/domain/index.js';
import { series, rng } from './synth.js';

const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };

describe('range novelty', () => {
  it('gives a first-of-its-kind excursion p ~ 1/n and values inside the range p = 1', () => {
    const m = RangeNovelty.create(0.05);
    for (let i = 0; i < 999; i++) m.add(i % 10);
    expect(m.pValue(5)).toBe(1);
    expect(m.pValue(9.4)).toBe(1);
    expect(m.pValue(20)).toBeCloseTo(1 / 1000, 12);
    expect(m.excess(-9)).toBeLessThan(0);
  });

  it('ranks an excursion against earlier excursions, so repeated records stop being rare', () => {
    const m = RangeNovelty.create(0.05);
    for (let i = 0; i < 100; i++) m.add(i % 10);
    const first = m.pValue(12);
    m.add(12);
    for (let i = 0; i < 100; i++) m.add(i % 10);
    // A trend sets a record every point: its p-values grow instead of staying ~1/n.
    const trend = new RangeNovelty(0, 0, 0, [], 0.05);
    const p: number[] = [];
    for (let i = 0; i < 500; i++) {
      p.push(trend.pValue(i * 1.1 ** (i % 3)));
      trend.add(i * 1.1 ** (i % 3));
    }
    expect(first).toBeCloseTo(1 / 101, 12);
    expect(m.pValue(30)).toBeCloseTo(1 / 202, 12);
    expect(m.pValue(14)).toBeCloseTo(2 / 202, 12);
    expect(m.pValue(12.1)).toBe(1);
    expect(Math.min(...p.slice(100))).toBeGreaterThan(0.01);
  });

  it('continues exactly after a JSON round-trip and rejects a damaged snapshot', () => {
    const r = rng(3);
    const vs = Array.from({ length: 2000 }, (_, i) => (r() < 0.01 ? 10 + i / 100 : r()));
    const whole = RangeNovelty.create(0.05),
      head = RangeNovelty.create(0.05);
    const full = vs.map((v) => {
      const p = whole.pValue(v);
      whole.add(v);
      return p;
    });
    vs.slice(0, 900).forEach((v) => head.add(v));
    const back = RangeNovelty.restore(JSON.parse(JSON.stringify(head.snapshot())), 0.05);
    expect(
      vs.slice(900).map((v) => {
        const p = back.pValue(v);
        back.add(v);
        return p;
      }),
    ).toEqual(full.slice(900));
    expect(() => RangeNovelty.restore({ s: [0, 1], e: [] }, 0.05)).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });

  it('lets the ensemble page a burst above all earlier bursts, and not the familiar ones', () => {
    const pts = series(3000, 11, (i, v) => (i % 300 === 150 ? v + 20 : i === 2700 ? v + 80 : v));
    const d = createEnsembleFactory({ params: { models: ['range'], refractory: 0 } }).create(ref);
    const s = pts.map((p) => d.update(p));
    expect(s[2700]!.value).toBeGreaterThan(0.5);
    for (let i = 1050; i < 3000; i += 300) expect(s[i]!.value).toBeLessThan(0.3);
  });
});
