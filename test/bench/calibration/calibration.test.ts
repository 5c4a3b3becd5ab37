import { countAlarms, labelledRanges, quietMask } from '../../../src/bench/calibration/quiet.js';
import { quantile, spread } from '../../../src/bench/calibration/spread.js';
import { runCalibration } from '../../../src/bench/calibration/run.js';
import type { KpiSeries } from '../../../src/bench/kpi/data.js';
import type { DetectorFactory } from '../../../src/detect/types.js';

describe('anomaly-free points', () => {
  it('finds labelled segments', () => {
    expect(labelledRanges([1, 0, 1, 1, 0, 0, 1])).toEqual([
      { start: 0, end: 0 },
      { start: 2, end: 3 },
      { start: 6, end: 6 },
    ]);
  });

  it('drops the warm-up (15% up to 750 points) and a margin around each labelled range', () => {
    // 40 points: warm-up floor(0.15*40) = 6; range 20..22 with margin 2 drops 18..24.
    const m = quietMask(40, [{ start: 20, end: 22 }], 2);
    const kept = Array.from(m.keys()).filter((i) => m[i]);
    expect(kept).toEqual([
      ...Array.from({ length: 12 }, (_, i) => 6 + i),
      ...Array.from({ length: 15 }, (_, i) => 25 + i),
    ]);
    expect(quietMask(10_000, [], 0).indexOf(1)).toBe(750);
    expect(() => quietMask(10, [], -1)).toThrow(/margin/);
  });

  it('counts points at or above the threshold among the counted ones', () => {
    const mask = Uint8Array.of(0, 1, 1, 1, 0);
    expect(countAlarms([0.9, 0.3, 0.29, 1, 1], mask, 0.3)).toEqual({ points: 3, alarms: 2 });
  });
});

describe('spread of false-alarm rates', () => {
  it('interpolates quantiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1, 12);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('reports median, p10, p90, their ratio, max/min over nonzero rates and series within 2x of the median', () => {
    const s = spread([0, 1, 2, 2, 3, 4, 8, 2, 2, 2, 2]);
    // sorted: 0 1 2 2 2 2 2 2 3 4 8 -> median 2, p10 = 1, p90 = 4
    expect(s).toMatchObject({
      series: 11,
      median: 2,
      p10: 1,
      p90: 4,
      p90OverP10: 4,
      nonzero: 10,
      maxOverMinNonzero: 8,
      withinFactor2: 9,
    });
  });

  it('gives null ratios rather than dividing by zero; a zero median counts only zero rates as within 2x', () => {
    expect(spread([0, 0, 0, 5])).toMatchObject({
      p10: 0,
      p90OverP10: null,
      nonzero: 1,
      maxOverMinNonzero: 1,
      withinFactor2: 3,
    });
    expect(spread([])).toMatchObject({
      series: 0,
      median: null,
      p90OverP10: null,
      maxOverMinNonzero: null,
      withinFactor2: 0,
    });
    expect(() => spread([Number.NaN])).toThrow(RangeError);
  });
});

describe('runCalibration', () => {
  // Alarms (score 1) on every 10th point, whatever the value.
  const every10: DetectorFactory = {
    name: 'tick',
    create: () => {
      let i = 0;
      return {
        update: () => ({
          value: i++ % 10 === 0 ? 1 : 0,
          expected: 0,
          band: [0, 0],
          kind: null,
          confidence: 1,
          contributors: [],
        }),
        snapshot: () => ({}),
      };
    },
    restore: () => {
      throw new Error('unused');
    },
  };
  const kpi = (id: string, n: number, labelled: (i: number) => boolean): KpiSeries => ({
    id,
    path: id,
    t: Float64Array.from({ length: n }, (_, i) => i * 60_000),
    v: new Float64Array(n),
    labels: Uint8Array.from({ length: n }, (_, i) => (labelled(i) ? 1 : 0)),
  });

  it('rates each series on its anomaly-free points and spreads the rates', () => {
    const r = runCalibration({
      factory: every10,
      threshold: 0.5,
      margin: 0,
      nab: null,
      kpi: [kpi('a', 100, () => false), kpi('b', 100, (i) => i >= 50)],
    });
    // a: points 15..99 (85), alarms at 20,30,...,90 (8). b: points 15..49 (35), alarms at 20,30,40 (3).
    expect(r.series.map((s) => [s.id, s.points, s.alarms])).toEqual([
      ['a', 85, 8],
      ['b', 35, 3],
    ]);
    expect(r.series[0]?.perThousand).toBeCloseTo(8000 / 85, 9);
    expect(r.spread.series).toBe(2);
    expect(r.byCorpus.nab).toBeNull();
    expect(r.byCorpus.kpi?.series).toBe(2);
  });
});
