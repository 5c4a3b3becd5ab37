import {
  learnedDetectorFactory,
  learnedSubModelFactory,
  loadLearnedModelSync,
  LEARNED_DETECTOR_NAME,
} from '../../../src/detect/learned/index.js';
import type { Score } from '../../../src/domain/index.js';

const model = loadLearnedModelSync();
const ref = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };
const series = (n: number) => Array.from({ length: n }, (_, t) => 50 + 10 * Math.sin(t / 8) + ((t * 7919) % 13) / 13);

describe("'vigil-learned' detector", () => {
  const f = learnedDetectorFactory(model);

  it('scores a spike as a spike and a dip as a dip, with a band and rising confidence', () => {
    const d = f.create(ref);
    const v = series(400);
    v[300] = (v[300] as number) + 60;
    v[350] = (v[350] as number) - 60;
    const s: Score[] = v.map((x, t) => d.update({ t: t * 60_000, v: x }));
    expect(f.name).toBe(LEARNED_DETECTOR_NAME);
    expect(s[300]).toMatchObject({ kind: 'spike', confidence: 1 });
    expect(s[300]?.value).toBeGreaterThan(0.99);
    expect(s[350]?.kind).toBe('dip');
    expect(s[350]?.value).toBeGreaterThan(0.99);
    const b = s[299]?.band as readonly [number, number];
    expect(b[0]).toBeLessThanOrEqual(s[299]?.expected as number);
    expect(b[1]).toBeGreaterThanOrEqual(s[299]?.expected as number);
    expect(s[10]?.confidence).toBeLessThan(s[50]?.confidence as number);
    for (const x of s) {
      expect(x.value).toBeGreaterThanOrEqual(0);
      expect(x.value).toBeLessThanOrEqual(1);
    }
  });

  it('restores from a JSON snapshot and continues identically; refuses foreign state', () => {
    const v = series(300);
    const a = f.create(ref);
    const whole = v.map((x, t) => a.update({ t, v: x }));
    const b = f.create(ref);
    v.slice(0, 150).forEach((x, t) => b.update({ t, v: x }));
    const c = f.restore(ref, JSON.parse(JSON.stringify(b.snapshot())));
    expect(v.slice(150).map((x, i) => c.update({ t: 150 + i, v: x }))).toEqual(whole.slice(150));
    expect(() => f.restore(ref, { kind: 'robust-mad', v: 1 })).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });

  it('gives a neutral score for NaN', () => {
    const d = f.create(ref);
    series(100).forEach((x, t) => d.update({ t, v: x }));
    const s = d.update({ t: 100, v: NaN });
    expect(s).toMatchObject({ value: 0, kind: null });
    expect(Number.isFinite(s.expected)).toBe(true);
  });

  it('plugs into the ensemble as a SubModelFactory', () => {
    const sub = learnedSubModelFactory(model);
    const m = sub.create(ref);
    const out = m.update(0, 1);
    expect(out).toMatchObject({ surprise: 0, expected: 1 });
    expect(sub.restore(ref, JSON.parse(JSON.stringify(m.snapshot())))).toBeDefined();
  });
});
