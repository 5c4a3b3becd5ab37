import { loadLearnedModelSync } from '../../../src/detect/learned/index.js';
import type { LearnedUpdate } from '../../../src/detect/learned/index.js';
import { createRng } from '../../../src/bench/train/rng.js';

const model = loadLearnedModelSync();

/** Daily-ish seasonal metric with noise: 60-point period. */
function seasonal(n: number, seed = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 60) + rng.normal());
}

function run(values: readonly number[]): LearnedUpdate[] {
  const m = model.create();
  return values.map((v, t) => m.update(t, v));
}

describe('learned series model (committed artifact)', () => {
  it('is deterministic', () => {
    const v = seasonal(400);
    expect(run(v)).toEqual(run(v));
  });

  it('continues identically after snapshot -> JSON -> restore', () => {
    const v = seasonal(500, 2);
    const whole = run(v);
    const m = model.create();
    v.slice(0, 250).forEach((x, t) => m.update(t, x));
    const state = JSON.parse(JSON.stringify(m.snapshot()));
    expect(JSON.stringify(state).length).toBeLessThan(8 * 1024);
    const r = model.restore(state);
    const rest = v.slice(250).map((x, i) => r.update(250 + i, x));
    expect(rest).toEqual(whole.slice(250));
  });

  it('restores an empty model and refuses foreign or damaged snapshots', () => {
    const fresh = model.restore(JSON.parse(JSON.stringify(model.create().snapshot())));
    expect(fresh.count).toBe(0);
    const snap = { ...model.create().snapshot() };
    expect(() => model.restore({ ...snap, model: 'other' })).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
    expect(() => model.restore({ kind: 'robust-mad' })).toThrow(expect.objectContaining({ code: 'E_DETECTOR_STATE' }));
    expect(() => model.restore({ ...snap, n: 3, window: [1, 2] })).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });

  it('gives a neutral verdict for NaN and Infinity and leaves the state untouched', () => {
    const v = seasonal(300, 3);
    const clean = run(v);
    const m = model.create();
    const gappy: LearnedUpdate[] = [];
    v.forEach((x, t) => {
      if (t % 50 === 25) {
        const g = m.update(t, NaN);
        expect(g.surprise).toBe(0);
        expect(Number.isFinite(g.expected)).toBe(true);
        expect(m.update(t, Infinity).surprise).toBe(0);
      }
      gappy.push(m.update(t, x));
    });
    expect(gappy).toEqual(clean);
    expect(model.create().update(0, NaN)).toMatchObject({ surprise: 0, ready: false });
  });

  it('scores a spike high and ordinary seasonal points low', () => {
    const v = seasonal(600, 4);
    v[450] = (v[450] as number) + 25; // about 25 noise sd, within the seasonal range
    const out = run(v);
    const spike = out[450] as LearnedUpdate;
    // The global calibration is set by the heavier-tailed metrics of the training
    // mix (calibration.ts), so a clean 25-sigma spike lands near 0.99, not 0.9999.
    expect(spike.surprise).toBeGreaterThan(0.98);
    expect(spike.z).toBeGreaterThan(10);
    const normal = out.slice(model.warmup, 440).map((u) => u.surprise);
    expect(Math.max(...normal)).toBeLessThan(spike.surprise);
    const sorted = [...normal].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(0.8);
    // Roughly calibrated: about 5% of ordinary points above 0.95, 1% above 0.99.
    expect(normal.filter((s) => s > 0.95).length).toBeLessThanOrEqual(0.05 * normal.length + 2);
    expect(normal.filter((s) => s > 0.99).length).toBeLessThanOrEqual(0.01 * normal.length + 2);
    expect(out[model.warmup]?.ready).toBe(true);
    expect(out[model.warmup - 1]?.ready).toBe(false);
  });

  it('forecasts close to a smooth series and gives a band around the forecast', () => {
    const m = model.create();
    const v = seasonal(300, 5);
    let err = 0;
    v.forEach((x, t) => {
      const u = m.update(t, x);
      if (t >= 200) err += Math.abs(u.expected - x);
    });
    expect(err / 100).toBeLessThan(3); // amplitude 20, noise sd 1
    const [lo, hi] = m.band(0.001);
    expect(lo).toBeLessThan(hi);
  });
});
