import { bestF1, median, scoreKpi, segmentsOf } from '../../../src/bench/kpi/score.js';
import { parseKpi } from '../../../src/bench/kpi/data.js';

describe('KPI scorer', () => {
  it('takes a segment max over its first delay+1 points only', () => {
    const labels = [0, 1, 1, 1, 1, 0, 1];
    const scores = [0.9, 0.1, 0.2, 0.8, 0.95, 0.0, 0.3];
    expect(segmentsOf(scores, labels, 1)).toEqual([
      { max: 0.2, len: 4 },
      { max: 0.3, len: 1 },
    ]);
    expect(segmentsOf(scores, labels, 2)).toEqual([
      { max: 0.8, len: 4 },
      { max: 0.3, len: 1 },
    ]);
  });

  it('point-adjusts a detected segment and counts a late detection as a miss', () => {
    // Segment A (4 points) hit at its 2nd point; segment B (2 points) only after the delay.
    const labels = [0, 0, 1, 1, 1, 1, 0, 1, 1, 0];
    const scores = [0, 0.5, 0, 0.9, 0, 0, 0, 0, 0.9, 0];
    const s = scoreKpi([{ id: 'k', scores, labels }], 0);
    // delay 0: both segments start at score 0, so only threshold 0 finds them, flagging all 4 normal points too.
    expect(s.paF1).toMatchObject({ threshold: 0, precision: 0.6, recall: 1 });
    expect(s.paF1.f1).toBeCloseTo(0.75, 12);
    const d1 = scoreKpi([{ id: 'k', scores, labels }], 1);
    // threshold 0.9: A detected (4 TP), B detected (2 TP), no FP -> F1 1.
    expect(d1.paF1).toMatchObject({ f1: 1, threshold: 0.9, precision: 1, recall: 1 });
    // point-wise: 0.9 -> 2 TP of 6, P 1, R 1/3, F1 0.5; 0.5 -> 0.444; 0 (flag all) -> P 0.6, R 1, F1 0.75 wins.
    expect(d1.pointF1.threshold).toBe(0);
    expect(d1.pointF1.f1).toBeCloseTo(0.75, 12);
    expect(d1.perKpi).toEqual([{ id: 'k', segments: 2, detected: 2, falsePositivePoints: 0, paF1: 1 }]);
  });

  it('uses one threshold across series and reports each series and the median at it', () => {
    const a = { id: 'a', scores: [0.2, 0.8, 0.1], labels: [0, 1, 0] };
    const b = { id: 'b', scores: [0.7, 0.1, 0.6], labels: [0, 1, 0] };
    const s = scoreKpi([a, b], 0);
    // Thresholds: 0.8 -> tp1 fp0 R .5 F1 .667; 0.7 -> tp1 fp1 -> .5; 0.6 -> .4; 0.2 -> tp1 fp3 -> .333; 0.1 -> tp2 fp4 -> .5.
    expect(s.paF1.threshold).toBe(0.8);
    expect(s.paF1.f1).toBeCloseTo(2 / 3, 12);
    expect(s.perKpi.map((k) => [k.id, k.detected, k.falsePositivePoints, k.paF1])).toEqual([
      ['a', 1, 0, 1],
      ['b', 0, 0, 0],
    ]);
    expect(s.medianKpiF1).toBe(0.5);
    expect(s).toMatchObject({ series: 2, points: 6, anomalous: 2, segments: 2 });
  });

  it('counts tied scores together and prefers the higher threshold on equal F1', () => {
    // 0.5 ties one positive with one negative: they enter together.
    const r = bestF1(Float64Array.of(0.5, 0.3), Float64Array.of(1, 1), Float64Array.of(0.5), 2);
    // 0.5: tp1 fp1 P .5 R .5 -> .5 ; 0.3: tp2 fp1 P 2/3 R 1 -> .8
    expect(r.threshold).toBe(0.3);
    expect(r.f1).toBeCloseTo(0.8, 12);
    const tie = bestF1(Float64Array.of(0.9, 0.4), Float64Array.of(1, 1), Float64Array.of(0.6, 0.5), 2);
    // 0.9: P1 R.5 -> 2/3; 0.4: tp2 fp2 -> P .5 R 1 -> 2/3 too: the higher (0.9) stays.
    expect(tie.threshold).toBe(0.9);
  });

  it('gives F1 0 and no threshold when there is nothing to find', () => {
    expect(scoreKpi([{ id: 'q', scores: [0.3, 0.9], labels: [0, 0] }]).paF1).toEqual({
      f1: 0,
      threshold: null,
      precision: 0,
      recall: 0,
    });
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
  });

  it('rejects series whose scores and labels differ in length', () => {
    expect(() => scoreKpi([{ id: 'x', scores: [0], labels: [0, 1] }])).toThrow(/x: 1 scores vs 2 labels/);
  });
});

describe('KPI file parser', () => {
  it('reads unix seconds, value and label by position', () => {
    const r = parseKpi('f', '100,1.5,0\n160,2,1\n');
    expect(Array.from(r.t)).toEqual([100_000, 160_000]);
    expect(Array.from(r.v)).toEqual([1.5, 2]);
    expect(Array.from(r.labels)).toEqual([0, 1]);
  });

  it('names the file and line of a bad row', () => {
    expect(() => parseKpi('s/k.csv.gz', '100,1,0\n160,,1\n')).toThrow(/s\/k\.csv\.gz: line 2 is not/);
    expect(() => parseKpi('s/k.csv.gz', '100,1,2\n')).toThrow(/line 1/);
    expect(() => parseKpi('s/k.csv.gz', '')).toThrow(/no rows/);
  });
});
