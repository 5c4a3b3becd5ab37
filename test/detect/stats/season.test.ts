import { Season } from '../../../src/detect/stats/season.js';
import { gauss, rng } from '../synth.js';

const HOUR = 3_600_000,
  DAY = 24 * HOUR,
  STEP = 300_000;
const T0 = Date.UTC(2024, 0, 1);

describe('Season', () => {
  it('stays on once found, and lets the profile of a pattern that stops fade instead', () => {
    const r = rng(9);
    const s = Season.create();
    const amp = 10,
      noon = T0 + 12 * HOUR;
    let i = 0;
    const feed = (days: number, seasonal: boolean): void => {
      for (const end = i + (days * DAY) / STEP; i < end; i++) {
        const t = T0 + i * STEP;
        s.update(t, 100 + (seasonal ? amp * Math.sin((2 * Math.PI * (t % DAY)) / DAY) : 0) + gauss(r), 100);
      }
    };
    feed(5, true);
    expect(s.active).toBe(1);
    const before = s.offset(noon - 6 * HOUR);
    expect(before).toBeGreaterThan(0.8 * amp);
    feed(10, false);
    expect(s.active).toBe(1);
    expect(Math.abs(s.offset(noon - 6 * HOUR))).toBeLessThan(0.5 * before);
  });

  it('learns at the same rate per day whatever the sampling: one abnormal day moves a bin about a tenth of the way', () => {
    const noon = T0 + 12 * HOUR;
    const moved = (step: number): number => {
      const r = rng(4);
      const s = Season.create();
      const days = 12;
      for (let t = T0; t < T0 + days * DAY; t += step)
        s.update(t, 100 + 10 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + 0.5 * gauss(r), 100);
      const before = s.offset(noon + days * DAY);
      // One more day with the hour around noon 20 higher (an incident, not the pattern).
      for (let t = T0 + days * DAY; t < T0 + (days + 1) * DAY; t += step) {
        const odd = Math.abs(t - (noon + days * DAY)) < HOUR / 2 ? 20 : 0;
        s.update(t, 100 + 10 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + odd + 0.5 * gauss(r), 100);
      }
      expect(s.active).toBe(1);
      return s.offset(noon + (days + 1) * DAY) - before;
    };
    const fine = moved(60_000),
      coarse = moved(STEP);
    expect(coarse).toBeGreaterThan(1);
    expect(coarse).toBeLessThan(3);
    expect(Math.abs(fine - coarse)).toBeLessThan(1);
  });

  it('restores a state of an earlier version (no time of the last point), and one of its own exactly', () => {
    const s = Season.create();
    // One-minute data: a point is a fifth of its bin's span.
    for (let t = T0; t < T0 + 4 * DAY; t += 60_000)
      s.update(t, 100 + 10 * Math.sin((2 * Math.PI * (t % DAY)) / DAY), 100);
    const state = JSON.parse(JSON.stringify(s.snapshot())) as { s: number[] };
    expect(state.s).toHaveLength(6);
    const same = Season.restore(state);
    const old = Season.restore({ ...state, s: state.s.slice(0, 5) });
    const t = T0 + 4 * DAY;
    for (const x of [s, same, old]) x.update(t, 130, 100);
    expect(same.offset(t)).toBe(s.offset(t));
    // Without the last point's time its first point counts for a whole bin; after that both learn alike.
    expect(old.offset(t)).toBeGreaterThan(s.offset(t));
    expect(() => Season.restore({ ...state, s: state.s.slice(0, 4) })).toThrow(/season state|not usable/);
  });
});
