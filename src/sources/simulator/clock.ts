/**
 * Schedule time for a SimSpec, shared by schedule.ts and unrelated.ts.
 * Counted in samples: one scheduled "minute" is one step, so a 30-minute
 * span at 1 s steps gets the same event pattern as 30 hours at 1 min steps.
 * Seasonality (signals.ts) stays in wall-clock time. Pure.
 */
import type { SimSpec } from './types.js';

export interface ScheduleClock {
  readonly MIN: number;
  readonly HOUR: number;
  readonly end: number;
  /** Rounds a time up / down onto the sample grid. */
  gridCeil(t: number): number;
  gridFloor(t: number): number;
}

export function scheduleClock(spec: SimSpec): ScheduleClock {
  const { start, stepMs, durationMs } = spec;
  return {
    MIN: stepMs,
    HOUR: 60 * stepMs,
    end: start + durationMs,
    gridCeil: (t) => start + Math.ceil((t - start) / stepMs) * stepMs,
    gridFloor: (t) => start + Math.floor((t - start) / stepMs) * stepMs,
  };
}
