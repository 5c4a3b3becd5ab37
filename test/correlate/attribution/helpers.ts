/** Hand-built series and deploys for attribution and verdict tests: 1-minute steps, seeded noise. */
import type { Deployment, Point } from '../../../src/domain/index.js';

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 2, 1);

/** A deterministic noisy series from `from` to `to` (minutes after T0); `level(minute)` gives its mean. */
export function series(from: number, to: number, level: (minute: number) => number, noise = 0.05, seed = 1): Point[] {
  let x = seed * 9301 + 49297;
  const rand = () => {
    x = (x * 9301 + 49297) % 233280;
    return x / 233280 - 0.5;
  };
  const out: Point[] = [];
  for (let m = from; m < to; m++) {
    const mean = level(m);
    out.push({ t: T0 + m * MIN, v: mean * (1 + noise * 2 * rand()) });
  }
  return out;
}

export const step = (at: number, before: number, after: number) => (m: number) => (m < at ? before : after);

export function deploy(
  id: string,
  service: string,
  startMinute: number,
  rolloutMinutes = 4,
  over: Partial<Deployment> = {},
): Deployment {
  return {
    id,
    service,
    environment: 'prod',
    version: `v-${id}`,
    startedAt: T0 + startMinute * MIN,
    finishedAt: T0 + (startMinute + rolloutMinutes) * MIN,
    status: 'succeeded',
    actor: 'alice',
    source: 'test',
    url: null,
    strategy: 'rolling',
    ...over,
  };
}
