import { DailyRecurrence } from '../../../src/detect/stats/daily.js';
import { createEnsembleFactory } from '../../../src/detect/index.js';
import type { Point, SeriesRef } from '../../../src/domain/index.js';
import { gauss, rng } from '../synth.js';

const HOUR = 3_600_000,
  DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

describe('daily recurrence', () => {
  it('excuses a spike seen at about this time on each of the two previous days', () => {
    const r = DailyRecurrence.create();
    r.add(T0 + 3 * HOUR + 10 * 60_000, 20); // day 0, 03:10
    r.add(T0 + 12 * HOUR, 1);
    expect(r.recurring(T0 + DAY + 3 * HOUR, 18)).toBe(false); // one earlier day only: a coincidence
    r.add(T0 + DAY + 3 * HOUR + 50 * 60_000, 25); // day 1, 03:50
    expect(r.recurring(T0 + 2 * DAY + 2 * HOUR + 30 * 60_000, 30)).toBe(true); // day 2, 02:30: within an hour's bin
    expect(r.recurring(T0 + 2 * DAY + 3 * HOUR, 41)).toBe(false); // more than twice the smaller earlier one
    expect(r.recurring(T0 + 2 * DAY + 9 * HOUR, 10)).toBe(false); // another time of day
    expect(r.recurring(T0 + 2 * DAY + 3 * HOUR, -20)).toBe(false); // a dip is not the job's spike
    expect(r.recurring(T0 + 3 * DAY + 3 * HOUR, 20)).toBe(false); // day 3: day 0 no longer counts, day 2 had none
  });

  it('crosses midnight and survives a JSON round-trip', () => {
    const r = DailyRecurrence.create();
    r.add(T0 + 23 * HOUR + 40 * 60_000, 12);
    r.add(T0 + DAY + 23 * HOUR + 50 * 60_000, 12);
    const back = DailyRecurrence.restore(JSON.parse(JSON.stringify(r.snapshot())));
    // day 2, 00:10: day 1 had it at 23:40 the evening before, but day 0's hour before midnight is not kept
    expect(back.recurring(T0 + 2 * DAY + 10 * 60_000, 12)).toBe(false);
    // day 3, 00:10: day 2 (23:50 of day 1) and day 1 (23:40 of day 0), each within an hour
    expect(back.recurring(T0 + 3 * DAY + 10 * 60_000, 12)).toBe(true);
    expect(() => DailyRecurrence.restore({ d: [0, 0, 0], hi: [1], lo: [] })).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });
});

describe('ensemble with daily recurrence', () => {
  const ref: SeriesRef = { key: 'k', source: 's', metric: 'm', service: 'svc', labels: {} };
  // A quiet metric, one point every 5 minutes, with a nightly job at about 03:00 (jitter +-30 min) for 8 days.
  const r = rng(3);
  const pts: Point[] = [];
  const jobs = new Set<number>();
  for (let d = 0; d < 8; d++) jobs.add(Math.round((d * DAY + 3 * HOUR + (r() - 0.5) * HOUR) / 300_000));
  for (let i = 0; i < (8 * DAY) / 300_000; i++)
    pts.push({ t: T0 + i * 300_000, v: 10 + 0.5 * gauss(r) + (jobs.has(i) ? 20 + 5 * r() : 0) });
  const scores = (recurrence: boolean): number[] => {
    // routine pages off: this tests the spike test's own recurrence memory (with it on, the later nights are damped either way)
    const d = createEnsembleFactory({ params: { recurrence, routinePages: false } }).create(ref);
    return pts.map((p) => d.update(p).value);
  };

  it('stops paging a nightly job from its third night on, and pages a new spike', () => {
    const on = scores(true),
      off = scores(false);
    const late = [...jobs].filter((i) => i >= (3 * DAY) / 300_000);
    expect(late.every((i) => on[i]! < 0.3)).toBe(true);
    expect(late.some((i) => off[i]! >= 0.3)).toBe(true);
  });

  it('restores a snapshot from before recurrence (v1) with an empty memory, and a v2 snapshot only with the same setting', () => {
    const f = createEnsembleFactory();
    const d = f.create(ref);
    pts.slice(0, 1000).forEach((p) => d.update(p));
    const snap = JSON.parse(JSON.stringify(d.snapshot())) as Record<string, unknown>;
    const v1: Record<string, unknown> = { ...snap, v: 1 };
    delete v1.rec;
    delete v1.daily;
    const back = f.restore(ref, v1);
    expect(Number.isFinite(back.update(pts[1000]!).value)).toBe(true);
    expect(() => createEnsembleFactory({ params: { recurrence: false } }).restore(ref, snap)).toThrow(
      expect.objectContaining({ code: 'E_DETECTOR_STATE' }),
    );
  });
});
