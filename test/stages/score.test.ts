import { createEnsembleFactory } from '../../src/detect/index.js';
import type { Detector, DetectorFactory } from '../../src/detect/types.js';
import type { Point, Series, SeriesRef } from '../../src/domain/index.js';
import { scoreSeries, type ScoreOptions } from '../../src/stages/score.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { gauss, rng } from '../detect/synth.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4);
const ref = (service: string, metric: string): SeriesRef => ({
  key: `t:${metric}{service="${service}"}`,
  source: 't',
  metric,
  service,
  labels: { service },
});
const series = (service: string, metric: string, points: Point[]): Series => ({ ref: ref(service, metric), points });

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

const options = (detectors: DetectorFactory): ScoreOptions => ({
  store,
  detectors,
  threshold: 0.5,
  sourceId: 't',
  onBadInput: () => undefined,
  onStateReset: () => undefined,
});

describe('scoreSeries with a load (stages/score)', () => {
  it('hands the detector the load at each timestamp, and nothing where the load has none', async () => {
    const seen: Array<number | undefined> = [];
    const recording: DetectorFactory = {
      name: 'recording',
      create: (): Detector => ({
        update: (_p, load) => {
          seen.push(load);
          return { value: 0, expected: 0, band: [0, 0], kind: null, confidence: 1, contributors: [] };
        },
        snapshot: () => ({}),
      }),
      restore: () => {
        throw new Error('not used');
      },
    };
    const pts = [1, 2, 3].map((i) => ({ t: T0 + i * MIN, v: i }));
    await scoreSeries(
      series('rec', 'cpu_pct', pts),
      options(recording),
      new Map([
        [T0 + MIN, 10],
        [T0 + 3 * MIN, 30],
      ]),
    );
    expect(seen).toEqual([10, undefined, 30]);
  });

  it('finds a costlier release in CPU on the morning ramp when the pull brought the load', async () => {
    // Two days of 1-minute traffic with a working-day swing; CPU follows it; from 09:00 on day two,
    // each request costs 30% more.
    const r = rng(3);
    const onset = 1440 + 9 * 60;
    const cpu: Point[] = [];
    const load = new Map<number, number>();
    for (let i = 0; i < onset + 60; i++) {
      const t = T0 + i * MIN;
      const hour = (i / 60) % 24;
      const l = 2000 + 8000 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14)) + 200 * gauss(r);
      load.set(t, l);
      cpu.push({ t, v: 5 + 0.004 * l * (i >= onset ? 1.3 : 1) + gauss(r) });
    }
    const f = createEnsembleFactory();
    const judged = await scoreSeries(series('with', 'cpu_pct', cpu), options(f), load);
    const alone = await scoreSeries(series('alone', 'cpu_pct', cpu), options(f));
    const after = (a: { t: number }): boolean => a.t >= T0 + onset * MIN;
    expect(judged.anomalies.filter(after).length).toBeGreaterThan(0);
    expect(judged.anomalies.filter(after)[0]!.t).toBeLessThan(T0 + (onset + 15) * MIN);
    expect(alone.anomalies.filter(after)).toEqual([]);
    // Before the release, the load adds no page of its own: each anomaly is within minutes of one CPU alone had
    // (both page the first morning ramp, while the baseline is a few hours old).
    const near = (a: { t: number }): boolean => alone.anomalies.some((b) => Math.abs(a.t - b.t) <= 3 * MIN);
    expect(judged.anomalies.filter((a) => !after(a)).every(near)).toBe(true);
  });
});
