import type { Series } from '../../../src/domain/index.js';
import { createSimulator } from '../../../src/sources/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../../src/sources/simulator/index.js';

export const START = Date.UTC(2024, 0, 1); // a Monday
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Every series of every service over the whole scenario span, keyed "service/metric". */
export async function fetchAll(sim: Simulator, from: number, to: number): Promise<Map<string, Series>> {
  const out = new Map<string, Series>();
  for (const q of await sim.queries()) {
    for (const s of await sim.fetch(q, { from, to })) out.set(`${s.ref.service}/${s.ref.metric}`, s);
  }
  return out;
}

export function sim(opts: Partial<SimulatorOptions> = {}): Simulator {
  return createSimulator({ seed: 7, start: START, durationMs: DAY, ...opts });
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? mb;
    num += (x - ma) * (y - mb);
    da += (x - ma) ** 2;
    db += (y - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}
