/**
 * Unrelated incidents (no deploy caused them) and the guard windows that keep
 * regular deploys away from them, plus the one innocent "decoy" deploy placed
 * a few steps before the first, so attribution can be tested against a
 * tempting but wrong suspect. A dependency degradation is two events: the
 * shared dependency itself degrades, and so does the service calling it, from
 * the same sample on. Pure function of the spec; never throws.
 */
import { scheduleClock } from './clock.js';
import { Stream, hashString } from './prng.js';
import type { SimIncident, SimIncidentKind, SimMetric, SimSpec } from './types.js';
import { DEPENDENCY } from './profiles.js';

export const KIND_METRICS: Readonly<Record<SimIncidentKind, readonly SimMetric[]>> = {
  latency_step: ['latency_p95_ms'],
  error_spike: ['error_rate'],
  memory_leak: ['memory_mb'],
  cpu_saturation: ['cpu_pct', 'latency_p95_ms'],
  unrelated_spike: ['request_rate', 'cpu_pct'],
  dependency_degradation: ['latency_p95_ms', 'error_rate'],
};

const MAGNITUDES: Readonly<Record<SimIncidentKind, readonly [number, number]>> = {
  latency_step: [1.6, 2.5],
  error_spike: [5, 20],
  memory_leak: [0.6, 1.5],
  cpu_saturation: [91, 97],
  unrelated_spike: [2, 2.8],
  dependency_degradation: [1.6, 2.2],
};

export function magnitude(kind: SimIncidentKind, u: number): number {
  const [lo, hi] = MAGNITUDES[kind];
  return Math.round((lo + (hi - lo) * u) * 100) / 100;
}

export interface Unrelated {
  readonly incidents: SimIncident[];
  /** Per service: [from, to) windows where no regular deploy may land. */
  readonly blocks: Map<string, Array<readonly [number, number]>>;
  readonly decoy: { readonly service: string; readonly t: number } | null;
}

/** `names` are the services; `warmupEnd` is on the grid. */
export function planUnrelated(spec: SimSpec, names: readonly string[], warmupEnd: number): Unrelated {
  const { seed, stepMs, durationMs } = spec;
  const { MIN, HOUR, end, gridCeil, gridFloor } = scheduleClock(spec);
  // Scaled so a short span still has room for deploys beside the incident.
  const guard = Math.min(90 * MIN, Math.max(20 * MIN, 0.06 * durationMs));
  const rng = new Stream([seed, hashString('unrelated')]);
  const count = durationMs >= 12 * HOUR ? 2 : 1;
  const segment = (end - warmupEnd) / count;
  const firstService = rng.int(0, names.length - 1);
  const otherOffset = 1 + rng.int(0, Math.max(0, names.length - 2));
  const firstKind = rng.pick<SimIncidentKind>(['unrelated_spike', 'dependency_degradation']);
  const out: Unrelated = { incidents: [], blocks: new Map(), decoy: null };
  let decoy: Unrelated['decoy'] = null;
  for (let j = 0; j < count; j++) {
    const service = names[(firstService + j * otherOffset) % names.length] ?? '';
    const kind: SimIncidentKind =
      j === 0 ? firstKind : firstKind === 'unrelated_spike' ? 'dependency_degradation' : 'unrelated_spike';
    const len = Math.ceil(Math.max(15 * stepMs, rng.between(20, 60) * MIN) / stepMs) * stepMs;
    const mag = magnitude(kind, rng.next());
    const decoySteps = rng.int(3, 10) + 0.9 * rng.next();
    const u = rng.next();
    const lo = gridCeil(warmupEnd + j * segment + 15 * stepMs);
    const hi = gridFloor(warmupEnd + (j + 1) * segment - len);
    if (hi < lo) continue;
    const s = gridFloor(lo + u * (hi - lo));
    out.incidents.push({
      id: '',
      service,
      metrics: KIND_METRICS[kind],
      kind,
      start: s,
      end: s + len,
      causedBy: null,
      magnitude: mag,
    });
    if (kind === 'dependency_degradation')
      out.incidents.push({
        id: '',
        service: DEPENDENCY,
        metrics: KIND_METRICS[kind],
        kind,
        start: s,
        end: s + len,
        causedBy: null,
        magnitude: mag,
      });
    const list = out.blocks.get(service) ?? [];
    list.push([s - guard, s + len + guard]);
    out.blocks.set(service, list);
    if (j === 0) decoy = { service, t: Math.round((s - decoySteps * stepMs) / 1000) * 1000 };
  }
  return { ...out, decoy };
}
