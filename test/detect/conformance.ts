/**
 * Behaviour every Detector / DetectorFactory must show (DESIGN.md: one
 * conformance suite per port), from the port's contract (src/detect/types.ts)
 * and the Score and Point it speaks (src/domain/anomaly.ts, series.ts):
 * - every Score: `value` and `confidence` in [0,1], a finite `expected`
 *   inside a finite `band`, `kind` null or an AnomalyKind, contributors
 *   named with numeric scores;
 * - the same sequence of points always gives the same scores;
 * - `snapshot()` is JSON-serialisable, and `restore` of it (after a JSON
 *   round trip, as the store keeps it) continues exactly where the detector
 *   stopped, whatever it does afterwards (a snapshot is a copy, not a view);
 * - `restore` of a snapshot that is not its own throws VigilError
 *   E_DETECTOR_STATE;
 * - a gap (v NaN, series.ts) scores 0 with no kind and changes no state, as
 *   the implementations document (ensemble.ts, learned/detector.ts).
 */
import { createEnsembleFactory, createRobustFactory } from '../../src/detect/index.js';
import type { Detector, DetectorFactory } from '../../src/detect/index.js';
import { VigilError } from '../../src/domain/index.js';
import type { Point, Score, SeriesRef } from '../../src/domain/index.js';

const KINDS = new Set(['spike', 'dip', 'level_shift', 'trend', 'variance', 'seasonal_break']);
const ref: SeriesRef = {
  key: 'conf:latency{service="checkout"}',
  source: 'conf',
  metric: 'latency',
  service: 'checkout',
  labels: { service: 'checkout' },
};
const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;

/** Deterministic test series: daily-ish wave, noise, a spike, a level shift, a variance burst. */
export function conformanceSeries(n: number): Point[] {
  let s = 12345;
  const noise = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  return Array.from({ length: n }, (_, i) => {
    let v = 100 + 20 * Math.sin((2 * Math.PI * i) / 1440) + 4 * noise();
    if (i === Math.floor(n * 0.4)) v += 80;
    if (i > Math.floor(n * 0.6)) v += 35;
    if (i > Math.floor(n * 0.8) && i < Math.floor(n * 0.85)) v += 30 * noise();
    return { t: T0 + i * MIN, v };
  });
}

const run = (d: Detector, pts: readonly Point[]): Score[] => pts.map((p) => d.update(p));
const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x)) as unknown;

/** Identical scores, compared as JSON (jest's deep equality over thousands of scores is slow); Scores hold no NaN (expectScore). */
function expectSameScores(got: readonly Score[], want: readonly Score[], what: string): void {
  expect(got.length).toBe(want.length);
  const i = got.findIndex((s, k) => JSON.stringify(s) !== JSON.stringify(want[k]));
  if (i >= 0) throw new Error(`${what}: score ${i} differs: ${JSON.stringify(got[i])} vs ${JSON.stringify(want[i])}`);
}

function expectScore(s: Score, at: number): void {
  const where = `score at point ${at}`;
  const ok =
    s.value >= 0 &&
    s.value <= 1 &&
    s.confidence >= 0 &&
    s.confidence <= 1 &&
    Number.isFinite(s.expected) &&
    Number.isFinite(s.band[0]) &&
    Number.isFinite(s.band[1]) &&
    s.band[0] <= s.expected &&
    s.expected <= s.band[1] &&
    (s.kind === null || KINDS.has(s.kind)) &&
    s.contributors.every((c) => typeof c.model === 'string' && c.model !== '' && typeof c.score === 'number');
  if (!ok) throw new Error(`${where} breaks the Score contract: ${JSON.stringify(s)}`);
}

export interface DetectorConformanceOptions {
  /** Points per run (default 1500: over a day of minutes, past every warm-up). */
  readonly points?: number;
}

export function detectorConformance(
  name: string,
  makeFactory: () => DetectorFactory | Promise<DetectorFactory>,
  opts: DetectorConformanceOptions = {},
): void {
  describe(`Detector conformance: ${name}`, () => {
    const pts = conformanceSeries(opts.points ?? 1500);
    let f: DetectorFactory;
    let whole: Score[];
    beforeAll(async () => {
      f = await makeFactory();
      whole = run(f.create(ref), pts);
    });

    it('has a name and scores every point within the Score contract', () => {
      expect(typeof f.name).toBe('string');
      expect(f.name).not.toBe('');
      whole.forEach(expectScore);
      // The series holds a +80 spike on a noise of ±2: a detector that never rises is not scoring.
      expect(Math.max(...whole.map((s) => s.value))).toBeGreaterThan(0.5);
    });

    it('gives the same scores for the same points', () => {
      expectSameScores(run(f.create(ref), pts), whole, 'a second run');
    });

    it('continues exactly where it stopped after a JSON round trip of its snapshot, at any point', () => {
      for (const cut of [0, 5, Math.floor(pts.length * 0.6) + 7]) {
        const d = f.create(ref);
        run(d, pts.slice(0, cut));
        const snap = d.snapshot();
        const json = roundTrip(snap);
        // JSON-serialisable: nothing lost or changed by the trip (NaN, Infinity, undefined, Maps would be).
        expect(json).toEqual(snap);
        expectSameScores(run(f.restore(ref, json), pts.slice(cut)), whole.slice(cut), `restored at ${cut}`);
      }
    });

    it('snapshots are copies: restoring one after the detector went on, or twice, still continues from the cut', () => {
      const cut = Math.floor(pts.length / 2);
      const d = f.create(ref);
      run(d, pts.slice(0, cut));
      const snap = d.snapshot();
      run(d, pts.slice(cut, cut + 100));
      const a = f.restore(ref, snap);
      expectSameScores(run(a, pts.slice(cut)), whole.slice(cut), 'restored after the detector went on');
      const b = f.restore(ref, snap);
      expectSameScores(run(b, pts.slice(cut)), whole.slice(cut), 'restored a second time');
    });

    it('refuses a snapshot that is not its own with VigilError E_DETECTOR_STATE', () => {
      const other = [createRobustFactory(), createEnsembleFactory()].find((x) => x.name !== f.name)!;
      const otherDetector = other.create(ref);
      run(otherDetector, pts.slice(0, 50));
      for (const state of [
        null,
        undefined,
        42,
        'state',
        [],
        {},
        { kind: 'other', v: 1 },
        roundTrip(otherDetector.snapshot()),
      ]) {
        let err: unknown = null;
        try {
          f.restore(ref, state);
        } catch (e) {
          err = e;
        }
        if (!(err instanceof VigilError) || err.code !== 'E_DETECTOR_STATE') {
          throw new Error(
            `restore(${JSON.stringify(state)?.slice(0, 80)}) gave ${err === null ? 'a detector' : String(err)}, not E_DETECTOR_STATE`,
          );
        }
      }
    });

    it('scores a gap (NaN) 0 with no kind and leaves the state unchanged', () => {
      for (const cut of [3, Math.floor(pts.length * 0.4) + 1]) {
        const d = f.create(ref);
        run(d, pts.slice(0, cut));
        const before = JSON.stringify(d.snapshot());
        const gap = d.update({ t: pts[cut]!.t - 1, v: Number.NaN });
        expectScore(gap, cut);
        expect({ value: gap.value, kind: gap.kind }).toEqual({ value: 0, kind: null });
        expect(JSON.stringify(d.snapshot()) === before).toBe(true);
        expectSameScores(run(d, pts.slice(cut)), whole.slice(cut), `after a gap at ${cut}`);
      }
    });
  });
}
