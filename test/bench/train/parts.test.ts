import { Calibrator } from '../../../src/detect/learned/calibration.js';
import { initBackend } from '../../../src/bench/train/backend.js';
import { buildCalibration } from '../../../src/bench/train/calibration.js';
import { createRng } from '../../../src/bench/train/rng.js';
import { generateSeries } from '../../../src/bench/train/synthetic.js';

describe('calibration', () => {
  it('is a decreasing tail with a power-law extrapolation and an inverse', () => {
    const rng = createRng(2);
    const series = Array.from({ length: 20 }, () =>
      Float64Array.from({ length: 1000 }, () => Math.abs(rng.normal()) * (rng.chance(0.02) ? 10 : 1)),
    );
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
    const a = Array.from({ length: 30 }, (_, i) =>
      generateSeries(createRng(100 + i), { length: 300, anomalies: true }),
    );
    const b = Array.from({ length: 30 }, (_, i) =>
      generateSeries(createRng(100 + i), { length: 300, anomalies: true }),
    );
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
