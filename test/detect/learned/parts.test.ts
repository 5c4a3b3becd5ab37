import { buildCalibration, Calibrator } from '../../../src/detect/learned/calibration.js';
import { initBackend } from '../../../src/detect/learned/backend.js';
import { locScaleSorted, nextQuantum, squash, unsquash } from '../../../src/detect/learned/normalise.js';
import { createRng } from '../../../src/detect/learned/rng.js';
import { generateSeries } from '../../../src/detect/learned/synthetic.js';
import { SlidingWindow } from '../../../src/detect/learned/window.js';

describe('SlidingWindow', () => {
  it('keeps its sorted view equal to the sorted window', () => {
    const rng = createRng(1);
    const w = new SlidingWindow(16);
    const chrono = new Float64Array(16);
    for (let i = 0; i < 500; i++) {
      w.push(rng.chance(0.3) ? rng.int(0, 4) : rng.normal()); // ties included
      w.chronological(chrono);
      expect(Array.from(w.sorted)).toEqual(Array.from(chrono).sort((a, b) => a - b));
    }
    expect(w.last).toBe(chrono[15]);
  });

  it('starts full, padded with the first value', () => {
    const w = new SlidingWindow(4);
    w.push(7);
    w.push(9);
    const c = new Float64Array(4);
    w.chronological(c);
    expect(Array.from(c)).toEqual([7, 7, 7, 9]);
  });
});

describe('normalisation', () => {
  it('squash is the identity near 0, monotone and inverted by unsquash', () => {
    expect(squash(1.5)).toBe(1.5);
    let prev = -Infinity;
    for (const x of [-1e9, -100, -5, -4, 0, 3.9, 4.1, 50, 1e12]) {
      expect(squash(x)).toBeGreaterThan(prev);
      prev = squash(x);
      expect(unsquash(squash(x))).toBeCloseTo(x, Math.abs(x) > 1e6 ? -3 : 6);
    }
  });

  it('floors the scale of a flat window by the quantum, then by the level', () => {
    const out = { loc: 0, scale: 0 };
    expect(locScaleSorted([0, 0, 0, 0], 1, out).scale).toBe(1);
    expect(locScaleSorted([50, 50, 50, 50], 0, out).scale).toBeCloseTo(0.05);
    expect(nextQuantum(0, 3, 5)).toBe(2);
    expect(nextQuantum(2, 5, 5)).toBe(2);
    expect(nextQuantum(2, 5, 4)).toBe(1);
  });
});

describe('calibration', () => {
  it('is a decreasing tail with a power-law extrapolation and an inverse', () => {
    const rng = createRng(2);
    const series = Array.from({ length: 20 }, () => Float64Array.from({ length: 1000 }, () => Math.abs(rng.normal()) * (rng.chance(0.02) ? 10 : 1)));
    const table = buildCalibration(series);
    expect(table.tailIndex).toBeGreaterThan(0.5);
    const cal = new Calibrator(table);
    let prev = 1;
    for (const x of [0, 0.5, 1, 2, 3, 10, 30, 100, 1e4, 1e8]) {
      const t = cal.tail(x);
      expect(t).toBeLessThanOrEqual(prev);
      expect(t).toBeGreaterThan(0);
      prev = t;
    }
    expect(1 - cal.tail(1000)).toBeLessThan(1); // far residuals do not saturate to surprise === 1
    for (const q of [0.5, 0.1, 0.01, 1e-3, 1e-6]) expect(cal.tail(cal.quantile(q))).toBeCloseTo(q, 6);
  });
});

describe('synthetic series', () => {
  it('is deterministic per seed, finite, and marks anomalies only when asked', () => {
    const a = Array.from({ length: 30 }, (_, i) => generateSeries(createRng(100 + i), { length: 300, anomalies: true }));
    const b = Array.from({ length: 30 }, (_, i) => generateSeries(createRng(100 + i), { length: 300, anomalies: true }));
    expect(a).toEqual(b);
    for (const s of a) expect(s.values.every(Number.isFinite)).toBe(true);
    expect(a.some((s) => s.anomaly.some((m) => m === 1))).toBe(true);
    expect(new Set(a.map((s) => s.family)).size).toBeGreaterThan(2);
    const clean = generateSeries(createRng(5), { length: 300, anomalies: false });
    expect(clean.anomaly.every((m) => m === 0)).toBe(true);
  });
});

describe('backend', () => {
  it('falls back quietly when tfjs-node is absent', async () => {
    const notes: string[] = [];
    const backend = await initBackend((m) => notes.push(m));
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend);
  });
});
