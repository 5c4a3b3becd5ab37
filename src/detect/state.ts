/**
 * Snapshot helpers: read numbers and number arrays out of untrusted JSON and
 * fail with VigilError E_DETECTOR_STATE, so a foreign or damaged snapshot
 * never yields a half-working detector.
 */
import { VigilError } from '../domain/index.js';
import type { Score } from '../domain/index.js';

export function bad(what: string): never {
  throw new VigilError('E_DETECTOR_STATE', `detector snapshot is not usable: ${what}`);
}

export function obj(o: unknown, what: string): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad(`${what} is not an object`);
  return o as Record<string, unknown>;
}

export function num(o: Record<string, unknown>, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${k} is not a finite number`);
  return v;
}

export function nums(o: Record<string, unknown>, k: string, len?: number): number[] {
  const v = o[k];
  if (!Array.isArray(v) || (len !== undefined && v.length !== len))
    bad(`${k} is not an array of ${len ?? 'n'} numbers`);
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) bad(`${k} holds a non-finite value`);
  return v as number[];
}

/** Neutral score for a point that cannot be scored (NaN, Infinity). */
export function neutral(expected: number, spread: number, confidence: number): Score {
  const e = Number.isFinite(expected) ? expected : 0;
  const s = Number.isFinite(spread) ? spread : 0;
  return { value: 0, expected: e, band: [e - s, e + s], kind: null, confidence, contributors: [] };
}
