/**
 * 'robust-mad': the simple baseline detector. Robust z-score of each point
 * against the median/MAD of the previous W finite points; no seasonality,
 * no change-point logic. O(W log W) per point, state = the window.
 * value = 2*Phi(|z|)-1 (probability the deviation is not noise under a
 * Gaussian null), so z=3 -> 0.997.
 */
import type { Point, Score, SeriesRef } from '../../domain/index.js';
import type { Detector, DetectorFactory } from '../types.js';
import { bad, neutral, nums, obj } from '../state.js';

const W = 64;
const MIN = 8;

function median(sorted: number[]): number {
  const n = sorted.length,
    h = n >> 1;
  return n % 2 ? (sorted[h] ?? 0) : ((sorted[h - 1] ?? 0) + (sorted[h] ?? 0)) / 2;
}

/** Abramowitz-Stegun 7.1.26 erf; enough for a score. */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1,
    a = Math.abs(x),
    t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

class RobustMad implements Detector {
  constructor(private readonly win: number[]) {}

  update(p: Point): Score {
    const n = this.win.length;
    const conf = Math.min(1, n / W);
    const sorted = [...this.win].sort((a, b) => a - b);
    const med = n ? median(sorted) : 0;
    const mad = n ? median(sorted.map((x) => Math.abs(x - med)).sort((a, b) => a - b)) : 0;
    const sd = Math.max(1.4826 * mad, 1e-9 * (Math.abs(med) + 1));
    if (!Number.isFinite(p.v)) return neutral(med, 3 * sd, conf);
    const z = (p.v - med) / sd;
    this.win.push(p.v);
    if (this.win.length > W) this.win.shift();
    const value = n < MIN ? 0 : erf(Math.abs(z) / Math.SQRT2);
    const kind = value >= 0.997 ? (z > 0 ? 'spike' : 'dip') : null;
    return {
      value,
      expected: med,
      band: [med - 3 * sd, med + 3 * sd],
      kind,
      confidence: conf,
      contributors: [{ model: 'robust-mad', score: value }],
    };
  }

  snapshot(): unknown {
    return { v: 1, kind: 'robust-mad', win: [...this.win] };
  }
}

export function createRobustFactory(): DetectorFactory {
  return {
    name: 'robust-mad',
    create: (_ref: SeriesRef) => new RobustMad([]),
    restore: (_ref: SeriesRef, state: unknown) => {
      const o = obj(state, 'robust-mad state');
      if (o.kind !== 'robust-mad') bad('not a robust-mad snapshot');
      const win = nums(o, 'win');
      if (win.length > W) bad('window too long');
      return new RobustMad([...win]);
    },
  };
}
