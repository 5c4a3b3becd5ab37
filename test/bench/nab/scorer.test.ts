import { VigilError } from '../../../src/domain/index.js';
import { probationLength, rowValues, scaledSigmoid, type RowWindow } from '../../../src/bench/nab/rows.js';
import { scoreCorpus, type ScorableFile } from '../../../src/bench/nab/scorer.js';
import { PROFILES } from '../../../src/bench/nab/profiles.js';
import { rng } from '../support/detectors.js';

/** A file of `rows` rows scoring 0 except the given rows. */
function file(
  rows: number,
  windows: RowWindow[],
  hits: Record<number, number>,
  category = 'cat',
  key = `${category}/f.csv`,
): ScorableFile {
  const scores = new Float64Array(rows);
  for (const [i, s] of Object.entries(hits)) scores[Number(i)] = s;
  return { key, category, rows, scores, windows };
}

const f = (y: number): number => 2 / (1 + Math.exp(5 * y)) - 1;
const W = { start: 40, end: 49 }; // width 10; probation of 100 rows is 15

describe('row values', () => {
  it('probation is min(floor(0.15 N), 750)', () => {
    expect(probationLength(100)).toBe(15);
    expect(probationLength(4999)).toBe(749);
    expect(probationLength(22695)).toBe(750);
  });

  it('follows the scaled sigmoid inside, before and after windows', () => {
    const v = rowValues(100, [W], { tpWeight: 1, fpWeight: 0.11 });
    expect(v[40]).toBe(1);
    expect(v[45]).toBeCloseTo(f(-5 / 10) / f(-1), 14);
    expect(v[49]).toBeCloseTo(f(-1 / 10) / f(-1), 14);
    expect(v[10]).toBe(-0.11);
    expect(v[52]).toBeCloseTo(0.11 * f(3 / 9), 14);
    expect(v[76]).toBeCloseTo(0.11 * f(27 / 9), 14); // y = 3 exactly: still the sigmoid
    expect(v[77]).toBe(-0.11); // y > 3
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
  });

  it('matches NAB official output: numenta on exchange-2_cpc_results (window rows 244-406, first hit at 325)', () => {
    // results/numenta/realAdExchange/numenta_exchange-2_cpc_results.csv, S(t)_standard at the window start
    const v = rowValues(1624, [{ start: 244, end: 406 }], { tpWeight: 1, fpWeight: 0.11 });
    expect(v[325]).toBeCloseTo(0.86195803375, 11);
  });
});

describe('scoreCorpus', () => {
  it('a window detected at its first row earns tpWeight and scores 100', () => {
    const s = scoreCorpus([file(100, [W], { 40: 1 })]);
    for (const p of PROFILES) {
      expect(s[p.name].raw).toBe(p.tpWeight);
      expect(s[p.name].score).toBe(100);
      expect(s[p.name].threshold).toBe(1);
    }
  });

  it('a detection after the window costs fpWeight * f((i - end) / (W - 1))', () => {
    const s = scoreCorpus([file(100, [W], { 40: 1, 52: 1 })]);
    expect(s.standard.raw).toBeCloseTo(1 + 0.11 * f(1 / 3), 14);
    expect(s.reward_low_FP_rate.raw).toBeCloseTo(1 + 0.22 * f(1 / 3), 14);
    expect(s.standard.falsePositives).toBe(1);
  });

  it('a detection before any window costs fpWeight', () => {
    const s = scoreCorpus([file(100, [W], { 20: 1, 40: 1 })]);
    expect(s.standard.raw).toBeCloseTo(0.89, 14);
    expect(s.reward_low_FP_rate.raw).toBeCloseTo(0.78, 14);
    expect(s.standard.score).toBeCloseTo((100 * (0.89 + 1)) / 2, 12);
    expect(s.reward_low_FN_rate.score).toBeCloseTo((100 * (0.89 + 2)) / 3, 12);
  });

  it('a missed window costs fnWeight', () => {
    const s = scoreCorpus([file(100, [W, { start: 70, end: 79 }], { 40: 1 })]);
    expect(s.standard.raw).toBe(0);
    expect(s.standard.score).toBe(50);
    expect(s.reward_low_FN_rate.raw).toBe(-1);
    expect(s.reward_low_FN_rate.score).toBe(50);
    expect(s.standard.detected).toBe(1);
  });

  it('the earliest detection in a window counts, extra ones add nothing', () => {
    const s = scoreCorpus([file(100, [W], { 45: 1, 46: 1, 49: 1 })]);
    expect(s.standard.raw).toBeCloseTo(f(-5 / 10) / f(-1), 14);
    expect(s.standard.falsePositives).toBe(0);
  });

  it('ignores probation rows: no penalty, no reward, not a candidate', () => {
    const s = scoreCorpus([file(100, [W], { 3: 1, 14: 0.95, 40: 0.9 })]);
    expect(s.standard.raw).toBe(1);
    expect(s.standard.threshold).toBe(0.9);
    expect(s.standard.falsePositives).toBe(0);
  });

  it('a window reaching into probation counts only its later rows', () => {
    const win = { start: 10, end: 20 }; // probation ends at 15
    const early = scoreCorpus([file(100, [win], { 12: 1 })]);
    expect(early.standard.raw).toBe(-1);
    const late = scoreCorpus([file(100, [win], { 16: 1 })]);
    expect(late.standard.raw).toBeCloseTo(f(-(20 - 16 + 1) / 11) / f(-1), 14);
  });

  it('on a tie the highest threshold wins', () => {
    const s = scoreCorpus([file(100, [W], { 40: 0.9, 41: 0.8 })]);
    expect(s.standard.threshold).toBe(0.9);
    expect(s.standard.raw).toBe(1);
  });

  it('the null detector scores 0 at threshold 1.1', () => {
    const s = scoreCorpus([file(1000, [{ start: 500, end: 509 }], {}), file(1000, [], {}, 'other')]);
    for (const p of PROFILES) {
      expect(s[p.name].score).toBe(0);
      expect(s[p.name].threshold).toBe(1.1);
      expect(s[p.name].raw).toBe(-p.fnWeight);
    }
  });

  it('a perfect detector scores 100 in every profile and category', () => {
    const files = [
      file(
        1000,
        [
          { start: 300, end: 330 },
          { start: 600, end: 640 },
        ],
        { 300: 1, 600: 1 },
        'a',
        'a/1.csv',
      ),
      file(800, [{ start: 400, end: 420 }], { 400: 1 }, 'b', 'b/1.csv'),
      file(800, [], {}, 'c', 'c/1.csv'),
    ];
    const s = scoreCorpus(files);
    for (const p of PROFILES) {
      expect(s[p.name].score).toBe(100);
      expect(s[p.name].categories.a?.score).toBe(100);
      expect(s[p.name].categories.b?.score).toBe(100);
      expect(s[p.name].categories.c).toEqual({
        raw: 0,
        detected: 0,
        falsePositives: 0,
        files: 1,
        windows: 0,
        score: null,
      });
    }
  });

  it('normalises each category by its own windows at the corpus threshold', () => {
    const files = [
      file(1000, [{ start: 300, end: 330 }], { 300: 1 }, 'a', 'a/1.csv'),
      file(
        1000,
        [
          { start: 300, end: 330 },
          { start: 600, end: 630 },
        ],
        { 300: 1, 200: 1 },
        'b',
        'b/1.csv',
      ),
    ];
    const s = scoreCorpus(files).standard;
    expect(s.threshold).toBe(1);
    expect(s.categories.a?.score).toBe(100);
    expect(s.categories.b?.raw).toBeCloseTo(1 - 0.11 - 1, 14);
    expect(s.categories.b?.score).toBeCloseTo((100 * (1 - 0.11 - 1 + 2)) / 4, 12);
    expect(s.raw).toBeCloseTo((s.categories.a?.raw ?? 0) + (s.categories.b?.raw ?? 0), 14);
  });

  it('accepts fixed thresholds instead of optimising', () => {
    const s = scoreCorpus([file(100, [W], { 40: 0.5 })], { thresholds: { standard: 0.6 } });
    expect(s.standard.threshold).toBe(0.6);
    expect(s.standard.raw).toBe(-1);
    expect(s.reward_low_FP_rate.threshold).toBe(0.5);
  });

  it('rejects scores outside [0,1] and length mismatches', () => {
    expect(() => scoreCorpus([file(100, [W], { 40: 1.5 })])).toThrow(VigilError);
    expect(() => scoreCorpus([file(100, [W], { 40: NaN })])).toThrow(/row 40/);
    expect(() => scoreCorpus([{ key: 'x/y.csv', category: 'x', rows: 5, scores: [0, 0], windows: [] }])).toThrow(
      /2 scores for 5 rows/,
    );
  });

  it('agrees with a brute-force sweep over every candidate threshold', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const files: ScorableFile[] = [];
      for (let k = 0; k < 3; k++) {
        const rows = 200 + Math.floor(rand() * 300);
        const windows: RowWindow[] = [];
        for (let a = 20 + Math.floor(rand() * 40); a + 20 < rows; a += 40 + Math.floor(rand() * 80))
          windows.push({ start: a, end: a + 5 + Math.floor(rand() * 20) });
        // coarse scores so that ties are common
        const scores = Array.from({ length: rows }, () => Math.floor(rand() ** 4 * 20) / 19);
        files.push({ key: `c${k}/f.csv`, category: `c${k % 2}`, rows, scores, windows });
      }
      const s = scoreCorpus(files);
      for (const p of PROFILES) {
        const brute = bruteForce(files, p);
        expect(s[p.name].threshold).toBe(brute.threshold);
        expect(s[p.name].raw).toBeCloseTo(brute.raw, 9);
      }
    }
  });
});

function rawAt(files: readonly ScorableFile[], p: (typeof PROFILES)[number], theta: number): number {
  let raw = 0;
  for (const fl of files) {
    const v = rowValues(fl.rows, fl.windows, p);
    const P = probationLength(fl.rows);
    const inWindow = (i: number): number => fl.windows.findIndex((w) => i >= w.start && i <= w.end);
    const best = fl.windows.map((w) => (w.end >= P ? -p.fnWeight : 0));
    for (let i = P; i < fl.rows; i++) {
      if ((fl.scores[i] as number) < theta) continue;
      const w = inWindow(i);
      if (w < 0) raw += v[i] as number;
      else best[w] = Math.max(best[w] as number, v[i] as number);
    }
    raw += best.reduce((a, b) => a + b, 0);
  }
  return raw;
}

function bruteForce(files: readonly ScorableFile[], p: (typeof PROFILES)[number]): { threshold: number; raw: number } {
  const candidates = new Set<number>([1.1]);
  for (const fl of files)
    for (let i = probationLength(fl.rows); i < fl.rows; i++) candidates.add(fl.scores[i] as number);
  let best = { threshold: 1.1, raw: -Infinity };
  for (const theta of [...candidates].sort((a, b) => b - a)) {
    const raw = rawAt(files, p, theta);
    if (raw > best.raw + 1e-9) best = { threshold: theta, raw };
  }
  return best;
}
