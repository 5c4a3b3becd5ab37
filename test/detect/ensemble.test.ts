import { createEnsembleFactory, createRobustFactory } from '../../src/detect/index.js';
import type { Detector, DetectorFactory } from '../../src/detect/index.js';
import type { Point, Score, SeriesRef } from '../../src/domain/index.js';
import { series } from './synth.js';
import { learnedSubModelFactory, loadLearnedModelSync } from '../../src/detect/learned/index.js';

const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };
const run = (d: Detector, pts: readonly Point[]): Score[] => pts.map((p) => d.update(p));
const factories: DetectorFactory[] = [
  createEnsembleFactory(),
  createEnsembleFactory({ name: 'vigil-stats', params: { models: ['spike', 'shift', 'cusum', 'variance'] } }),
  createEnsembleFactory({ name: 'vigil-context', params: { models: ['context'] } }),
  createEnsembleFactory({ name: 'vigil-range', params: { models: ['range'] } }),
  createEnsembleFactory({ name: 'vigil-full', subModels: [learnedSubModelFactory(loadLearnedModelSync())] }),
  createRobustFactory(),
];

describe.each(factories.map((f) => [f.name, f] as const))('%s detector contract', (_name, f) => {
  const pts = series(3000, 7, (i, v) => (i === 2000 ? v + 30 : i >= 2500 ? v + 8 : v), 5);

  it('is deterministic', () => {
    expect(run(f.create(ref), pts)).toEqual(run(f.create(ref), pts));
  });

  it('continues exactly after snapshot, JSON round-trip and restore', () => {
    const whole = run(f.create(ref), pts);
    const d = f.create(ref);
    const head = run(d, pts.slice(0, 1700));
    const restored = f.restore(ref, JSON.parse(JSON.stringify(d.snapshot())));
    expect([...head, ...run(restored, pts.slice(1700))]).toEqual(whole);
  });

  it('never changes earlier scores when rows are appended', () => {
    const short = run(f.create(ref), pts.slice(0, 2100));
    expect(run(f.create(ref), pts).slice(0, 2100)).toEqual(short);
  });

  it('gives NaN/Infinity a neutral score without touching state or confidence', () => {
    const d1 = f.create(ref),
      d2 = f.create(ref);
    run(d1, pts.slice(0, 500));
    run(d2, pts.slice(0, 500));
    const before = d1.update({ t: pts[500]!.t - 1, v: Number.NaN });
    const inf = d1.update({ t: pts[500]!.t - 1, v: Number.POSITIVE_INFINITY });
    for (const s of [before, inf]) {
      expect(s.value).toBe(0);
      expect(s.kind).toBeNull();
      expect(Number.isFinite(s.expected)).toBe(true);
    }
    expect(before.confidence).toBe(inf.confidence);
    expect(run(d1, pts.slice(500))).toEqual(run(d2, pts.slice(500)));
  });

  it('keeps every score in range with a band around the expected value', () => {
    for (const s of run(f.create(ref), pts)) {
      expect(s.value).toBeGreaterThanOrEqual(0);
      expect(s.value).toBeLessThanOrEqual(1);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.band[0]).toBeLessThanOrEqual(s.expected);
      expect(s.band[1]).toBeGreaterThanOrEqual(s.expected);
    }
  });

  it('rejects a snapshot that is not its own', () => {
    expect(() => f.restore(ref, { kind: 'other' })).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
    expect(() => f.restore(ref, null)).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
  });
});

describe('weighted Bonferroni', () => {
  it('asks a spike-only alert for more evidence than plain Bonferroni, and restores only with the same weight', () => {
    const pts = series(3000, 12, (i, v) => (i === 2000 ? v + 6 : v));
    const at = (w: number): number => {
      const d = createEnsembleFactory({ params: { models: ['spike', 'shift'], spikeWeight: w } }).create(ref);
      return run(d, pts)[2000]!.value;
    };
    expect(at(1 / 3)).toBeLessThan(at(1));
    const d = createEnsembleFactory().create(ref);
    run(d, pts.slice(0, 100));
    expect(() =>
      createEnsembleFactory({ params: { spikeWeight: 1 } }).restore(ref, JSON.parse(JSON.stringify(d.snapshot()))),
    ).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
  });
});

describe('weighted Simes combination', () => {
  it('never scores below Bonferroni, and scores higher when several models agree moderately', () => {
    // a moderate shift: spike, shift and cusum all somewhat surprised for a while
    const pts = series(3000, 13, (i, v) => (i >= 2000 ? v + 2.5 : v));
    const go = (combine: 'simes' | 'bonferroni'): number[] =>
      run(createEnsembleFactory({ params: { combine, refractory: 0 } }).create(ref), pts).map((s) => s.value);
    const simes = go('simes'),
      bonf = go('bonferroni');
    for (let i = 0; i < pts.length; i++) expect(simes[i]!).toBeGreaterThanOrEqual(bonf[i]! - 1e-12);
    expect(Math.max(...simes.slice(2000, 2100))).toBeGreaterThan(Math.max(...bonf.slice(2000, 2100)));
  });
});
