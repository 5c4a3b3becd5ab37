/**
 * How active incidents bend a service's signals at one instant. Pure; the
 * magnitudes' meaning per kind is documented on SimIncident.magnitude.
 */
import type { SimIncident } from './types.js';

// Bound once: under jest 30 every global lookup (`Math`) goes through the sandbox's
// Proxy, ~1µs each, which dominates hot loops.
const { min: minOf, max: maxOf } = Math;

export interface Effects {
  /** Multiplies the service's load (traffic), which cpu and latency follow. */
  readonly load: number;
  readonly latency: number;
  readonly errors: number;
  /** Fractional memory growth on top of the baseline. */
  readonly memoryGrowth: number;
  /** cpu % the service is pinned at or above, or 0 for none. */
  readonly cpuFloor: number;
}

export const NO_EFFECTS: Effects = { load: 1, latency: 1, errors: 1, memoryGrowth: 0, cpuFloor: 0 };

/** Effects of the incidents (already filtered to one service) active at `t`. */
export function effectsAt(incidents: readonly SimIncident[], t: number, stepMs: number): Effects {
  let fx: Effects | null = null;
  for (const inc of incidents) {
    if (t < inc.start || t >= inc.end) continue;
    const cur: Effects = fx ?? NO_EFFECTS;
    const m = inc.magnitude;
    switch (inc.kind) {
      case 'latency_step':
        fx = { ...cur, latency: cur.latency * m };
        break;
      case 'error_spike':
        fx = { ...cur, errors: cur.errors * m };
        break;
      case 'memory_leak': {
        // Linear ramp that reaches the full growth on the incident's last sample.
        const frac = minOf(1, (t - inc.start + stepMs) / (inc.end - inc.start));
        fx = { ...cur, memoryGrowth: cur.memoryGrowth + m * frac };
        break;
      }
      case 'cpu_saturation':
        // A saturated CPU queues requests: latency follows at a fixed 1.5x.
        fx = { ...cur, cpuFloor: maxOf(cur.cpuFloor, m), latency: cur.latency * 1.5 };
        break;
      case 'unrelated_spike':
        fx = { ...cur, load: cur.load * m };
        break;
      case 'dependency_degradation':
        fx = { ...cur, latency: cur.latency * m, errors: cur.errors * 3 * m };
        break;
    }
  }
  return fx ?? NO_EFFECTS;
}
