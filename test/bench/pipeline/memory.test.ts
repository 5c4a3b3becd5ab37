/** The memory plateau of `vigil bench pipeline`: one RSS per simulated minute, and its summary. Pure; no timing. */
import { minuteTraces, plateauOf } from '../../../src/bench/pipeline/memory.js';

const MiB = 1048576;

describe('pipeline benchmark memory plateau', () => {
  it('a flat trace grows by about 0 MiB per hour', () => {
    const flat = Array.from({ length: 90 }, () => 400 * MiB);
    const p = plateauOf(flat);
    expect(p.rssAtBytes).toEqual([400 * MiB, 400 * MiB, 400 * MiB, 400 * MiB]);
    expect(p.growthMiBPerHour).toBeCloseTo(0, 9);
  });

  it('a rising trace grows by its slope, per hour of data', () => {
    // 0.5 MiB per minute of data is 30 MiB per hour; noise that averages out does not move it much.
    const rising = Array.from({ length: 120 }, (_, m) => 300 * MiB + m * 0.5 * MiB + (m % 2 ? 1 : -1) * 0.01 * MiB);
    expect(plateauOf(rising).growthMiBPerHour).toBeCloseTo(30, 0);
    // Samples every 2 minutes of data: the same values are half the growth per hour.
    expect(plateauOf(rising, 2).growthMiBPerHour).toBeCloseTo(15, 0);
  });

  it('growth is read over the second half only: a climb that levels off is a plateau', () => {
    const climbThenFlat = Array.from({ length: 100 }, (_, m) => (m < 50 ? 100 + m * 4 : 300) * MiB);
    const p = plateauOf(climbThenFlat);
    expect(p.growthMiBPerHour).toBeCloseTo(0, 9);
    // 25% of 100 minutes is minute 25 (index 24), 100% the last.
    expect(p.rssAtBytes).toEqual([196 * MiB, 296 * MiB, 300 * MiB, 300 * MiB]);
  });

  it('says null where a trace is too short to tell', () => {
    expect(plateauOf([])).toEqual({ rssAtBytes: null, growthMiBPerHour: null });
    expect(plateauOf([5 * MiB])).toEqual({ rssAtBytes: [5 * MiB, 5 * MiB, 5 * MiB, 5 * MiB], growthMiBPerHour: null });
  });

  it('takes for each minute the first sample that counted its points scored', () => {
    const samples = [
      { scored: 0, rssBytes: [10, 100] },
      { scored: 4, rssBytes: [11, 101] }, // minute 1 (4 series a minute)
      { scored: 7, rssBytes: [12, 102] },
      { scored: 12, rssBytes: [13, 103] }, // minutes 2 and 3 scored at once
      { scored: 20, rssBytes: [14, 104] }, // minute 4 (5 is beyond the run)
    ];
    expect(minuteTraces(samples, 4, 4, 2)).toEqual([
      [11, 13, 13, 14],
      [101, 103, 103, 104],
    ]);
    // A run that stops early traces only the minutes seen scored.
    expect(minuteTraces(samples.slice(0, 3), 4, 4, 2)).toEqual([[11], [101]]);
  });
});
