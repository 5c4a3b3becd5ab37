import { StatCore, STAT_MODELS } from '../../../src/detect/stats/core.js';
import { series } from '../synth.js';

const VAR = STAT_MODELS.indexOf('variance');

/** The variance nonconformity at each point of `pts`. */
function varianceScores(pts: { t: number; v: number }[]): number[] {
  const core = StatCore.create(false);
  return pts.map((p) => core.update(p.t, p.v).a[VAR]!);
}

describe('stat core: variance test', () => {
  it('leaves a single outlier to the spike test: the spread ratio barely moves', () => {
    const pts = series(1200, 7, (i, v) => (i === 1000 ? v + 50 : v));
    const a = varianceScores(pts);
    // Unclipped, 50 sd alone lifted the ratio above 6; clipped it adds at most 0.1 * 6 long-run deviations.
    expect(Math.max(...a.slice(1000, 1010))).toBeLessThan(1.6);
  });

  it('still answers to a sustained rise in spread', () => {
    const pts = series(1200, 7, (i, v) => (i >= 1000 ? 100 + (v - 100) * 4 : v));
    const a = varianceScores(pts);
    expect(Math.max(...a.slice(1000, 1030))).toBeGreaterThan(2.2);
    expect(Math.max(...a.slice(900, 1000))).toBeLessThan(1.6);
  });
});
