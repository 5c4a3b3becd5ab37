/**
 * Counter-based randomness: every draw is a pure function of its integer
 * keys (seed, series, step, ...), never of how many draws came before. That
 * is what lets any worker compute any time range on its own and makes
 * fetch(A) + fetch(B) equal fetch(A ∪ B). No I/O, no failure modes.
 */
import { fnv1a } from '../../domain/hash.js';

// Bound once: under jest 30 every global lookup (`Math`) goes through the sandbox's
// Proxy, ~1µs each, which dominates hot loops like this one.
const { imul, floor, sqrt, log, cos, PI } = Math;

/** One round of the murmur3 finaliser: a full-avalanche 32-bit mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds one safe integer (negative or past 2^32 too) into a running 32-bit hash. */
export function mix(h: number, k: number): number {
  // Both halves, so epoch-ms keys and large step indices stay distinct.
  h = fmix32((h ^ (k | 0)) + 0x7f4a7c15);
  return fmix32((h ^ (floor(k / 4294967296) | 0)) + 0x165667b1);
}

/** Hashes a list of integers into 32 bits. For set-up code; hot loops fold with `mix`. */
export function hashInts(...keys: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) h = mix(h, k);
  return h;
}

/** FNV-1a of a string (domain/hash.ts): turns names (service, metric, purpose) into hash keys. */
export const hashString = fnv1a;

/** Uniform in [0, 1) from a hash. */
export function unitOf(h: number): number {
  return h / 4294967296;
}

/** Standard normal from a hash (Box–Muller on two uniforms derived from it). */
export function normalOf(h: number): number {
  const u1 = (mix(h, 1) + 1) / 4294967297; // in (0,1): log(0) never happens
  const u2 = mix(h, 2) / 4294967296;
  return sqrt(-2 * log(u1)) * cos(2 * PI * u2);
}

/** Uniform in [0, 1) keyed by the given integers. */
export function uniform(...keys: readonly number[]): number {
  return unitOf(hashInts(...keys));
}

/** Standard normal keyed by the given integers. */
export function normal(...keys: readonly number[]): number {
  return normalOf(hashInts(...keys));
}

/**
 * A sequence of draws for one-off planning (the event schedule). Still
 * counter-based, so the n-th draw of a stream never depends on anything but
 * its keys and n.
 */
export class Stream {
  private n = 0;
  constructor(private readonly keys: readonly number[]) {}
  next(): number {
    return uniform(...this.keys, this.n++);
  }
  /** Uniform real in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}
