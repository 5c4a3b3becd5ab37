import { locScaleSorted, nextQuantum, squash, unsquash } from '../../../src/detect/learned/normalise.js';
import { createRng } from '../../../src/bench/train/rng.js';
import { SlidingWindow } from '../../../src/detect/learned/window.js';

describe('SlidingWindow', () => {
  it('keeps its sorted view equal to the sorted window', () => {
    const rng = createRng(1);
    const w = new SlidingWindow(16);
    const chrono = new Float64Array(16);
    for (let i = 0; i < 500; i++) {
      w.push(rng.chance(0.3) ? rng.int(0, 4) : rng.normal()); // ties included
      w.chronological(chrono);
      expect(Array.from(w.sorted)).toEqual(Array.from(chrono).sort((a, b) => a - b));
    }
    expect(w.last).toBe(chrono[15]);
  });

  it('starts full, padded with the first value', () => {
    const w = new SlidingWindow(4);
    w.push(7);
    w.push(9);
    const c = new Float64Array(4);
    w.chronological(c);
    expect(Array.from(c)).toEqual([7, 7, 7, 9]);
  });
});

describe('normalisation', () => {
  it('squash is the identity near 0, monotone and inverted by unsquash', () => {
    expect(squash(1.5)).toBe(1.5);
    let prev = -Infinity;
    for (const x of [-1e9, -100, -5, -4, 0, 3.9, 4.1, 50, 1e12]) {
      expect(squash(x)).toBeGreaterThan(prev);
      prev = squash(x);
      expect(unsquash(squash(x))).toBeCloseTo(x, Math.abs(x) > 1e6 ? -3 : 6);
    }
  });

  it('floors the scale of a flat window by the quantum, then by the level', () => {
    const out = { loc: 0, scale: 0 };
    expect(locScaleSorted([0, 0, 0, 0], 1, out).scale).toBe(1);
    expect(locScaleSorted([50, 50, 50, 50], 0, out).scale).toBeCloseTo(0.05);
    expect(nextQuantum(0, 3, 5)).toBe(2);
    expect(nextQuantum(2, 5, 5)).toBe(2);
    expect(nextQuantum(2, 5, 4)).toBe(1);
  });
});
