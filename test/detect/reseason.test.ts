import { createEnsembleFactory } from '../../src/detect/index.js';
import { TailCalibrator } from '../../src/detect/stats/tail.js';
import type { Point, SeriesRef } from '../../src/domain/index.js';
import { gauss, rng, T0 } from './synth.js';

const HOUR = 3_600_000,
  DAY = 24 * HOUR,
  STEP = 300_000;
const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };

describe('TailCalibrator.forget', () => {
  it('keeps the shape of the history at a smaller weight, and is a no-op on a shorter history', () => {
    const a = TailCalibrator.create(10000),
      b = TailCalibrator.create(10000);
    for (let i = 0; i < 2000; i++) {
      const x = i % 100 === 0 ? 50 : 1 + (i % 7) / 7;
      a.add(x);
      b.add(x);
    }
    b.forget(100);
    expect(b.count).toBeCloseTo(100, 6);
    expect(b.pValue(50)).toBeCloseTo(a.pValue(50), 1);
    for (let i = 0; i < 500; i++) {
      a.add(1.5);
      b.add(1.5);
    }
    // 100 old + 500 new (decayed by the memory) against 2000 old + 500 new
    expect(b.count).toBeLessThan(a.count / 3);
    const c = TailCalibrator.create(10000);
    c.add(1);
    c.forget(100);
    expect(c.count).toBeCloseTo(1, 3);
  });
});

describe('TailCalibrator.add with a weight', () => {
  it('weight 0 leaves the p-values of the history unchanged (only time passes)', () => {
    const a = TailCalibrator.create(10000),
      b = TailCalibrator.create(10000);
    for (let i = 0; i < 2000; i++) {
      const x = 1 + (i % 7) / 7;
      a.add(x);
      b.add(x);
    }
    const before = b.pValue(50);
    for (let i = 0; i < 50; i++) b.add(50, 0);
    expect(b.pValue(50)).toBeCloseTo(before, 6);
    for (let i = 0; i < 50; i++) a.add(50);
    // learned at weight 1, the 50 points count; at weight 0 they do not
    expect(a.count - b.count).toBeCloseTo(50, 0);
  });
});

describe('ensemble recalibration when daily seasonality switches on', () => {
  // A daily square wave (20 at night, 80 from 09:00 to 18:00, noise sd 1) for 12 days; day 9 stays flat
  // at 40. Before seasonality is found (day 3), every daily edge is a large spike for the level models.
  const r = rng(5);
  const pts: Point[] = [];
  for (let i = 0; i < (12 * DAY) / STEP; i++) {
    const t = T0 + i * STEP,
      h = (t % DAY) / HOUR,
      d = Math.floor((t - T0) / DAY);
    pts.push({ t, v: (d === 9 ? 40 : h >= 9 && h < 18 ? 80 : 20) + gauss(r) });
  }
  const peak = (reseason: boolean): number => {
    // Without contextual novelty, which sees the flat day as a new pattern either way.
    const d = createEnsembleFactory({
      params: { reseason, models: ['spike', 'shift', 'cusum', 'variance', 'range'] },
    }).create(ref);
    const s = pts.map((p) => d.update(p).value);
    return Math.max(...s.slice((9 * DAY) / STEP, (10 * DAY) / STEP));
  };

  it('pages a day that breaks the daily pattern, which the pre-season history would hide', () => {
    const on = peak(true),
      off = peak(false);
    expect(on).toBeGreaterThanOrEqual(0.3);
    expect(off).toBeLessThan(0.3);
  });
});
