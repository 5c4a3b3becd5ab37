/**
 * Before/after comparison of one series around an instant: the shared
 * evidence of attribution ("did the metric shift at the deploy?") and of
 * deploy verdicts. Pure.
 */
import type { Point } from '../../domain/index.js';
import { mannWhitney } from './mann-whitney.js';

/** Fewest values a side for a test to count as evidence either way. */
export const MIN_SIDE = 8;

export interface Shift {
  readonly beforeMedian: number;
  readonly afterMedian: number;
  readonly beforeCount: number;
  readonly afterCount: number;
  readonly p: number;
  readonly effect: number;
  /** Enough values on both sides for the test to say anything. */
  readonly sufficient: boolean;
}

/**
 * Compares points in [at - window, at) with points in
 * [at + skipAfter, min(at + skipAfter + afterWindow, afterUntil)).
 * `skipAfter` (default 0) leaves a rollout's restarts out; `afterWindow`
 * (default `window`) lets the after side cover a rollout and one window past
 * it; `afterUntil` stops it before a later event (an incident's onset).
 */
export function shiftAt(
  points: readonly Point[],
  at: number,
  o: { window: number; skipAfter?: number; afterWindow?: number; afterUntil?: number },
): Shift {
  const from = at + (o.skipAfter ?? 0);
  const to = Math.min(from + (o.afterWindow ?? o.window), o.afterUntil ?? Infinity);
  const before: number[] = [];
  const after: number[] = [];
  for (const p of points) {
    if (p.t >= at - o.window && p.t < at) before.push(p.v);
    else if (p.t >= from && p.t < to) after.push(p.v);
  }
  const u = mannWhitney(before, after);
  return {
    beforeMedian: median(before),
    afterMedian: median(after),
    beforeCount: before.length,
    afterCount: after.length,
    p: u.p,
    effect: u.effect,
    sufficient: before.length >= MIN_SIDE && after.length >= MIN_SIDE,
  };
}

/**
 * A shift that counts as a move, for attribution and verdicts alike:
 * significant (p < 0.01), large in rank terms (|effect| >= 0.5) and
 * material (the median changed by 5% or more). A drift of a few percent
 * that a long window makes significant is the time of day, not a change.
 */
export function isMaterial(s: Shift): boolean {
  return s.p < 0.01 && Math.abs(s.effect) >= 0.5 && Math.abs(relativeChange(s)) >= 0.05;
}

/** Relative change of the median, guarded against a zero baseline. */
export function relativeChange(s: Shift): number {
  const scale = Math.max(Math.abs(s.beforeMedian), Math.abs(s.afterMedian) * 1e-3, 1e-9);
  return (s.afterMedian - s.beforeMedian) / scale;
}

/** At least three values a side, a large rank effect upward and a median rise of 30% or more. */
export function sharpRise(s: Shift): boolean {
  return s.afterCount >= 3 && s.beforeCount >= 3 && s.effect >= 0.7 && relativeChange(s) >= 0.3;
}

/** A p-value for people. */
export const pValue = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** A median change for people: "2.3x" for large ratios, "+12%" otherwise. */
export function describeChange(beforeMedian: number, afterMedian: number): string {
  const ratio = afterMedian / beforeMedian;
  if (Number.isFinite(ratio) && ratio > 0 && (ratio >= 1.5 || ratio <= 0.67)) return `${ratio.toFixed(1)}x`;
  const rel = ((afterMedian - beforeMedian) / Math.max(Math.abs(beforeMedian), 1e-9)) * 100;
  return `${rel >= 0 ? '+' : ''}${rel.toFixed(0)}%`;
}

/** The median of `xs` (NaN when empty); `xs` is not changed. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
