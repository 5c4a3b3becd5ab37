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
});
