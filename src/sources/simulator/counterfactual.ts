/**
 * The value one simulated series takes at one sample, as generated (with the
 * scenario's injected incidents) and as it would be with none of them: the
 * counterfactual. Pure. Both come from `sample` with the same step index, so
 * the same noise draws; only the Effects differ (effectsAt vs NO_EFFECTS),
 * exactly as generateSeries computes them.
 *
 * "No effect" is well defined for every metric because the simulator keeps no
 * state between samples: a memory leak's growth is a function of the time
 * since its onset (effects.ts) and vanishes when it ends, so the
 * counterfactual memory is the service's baseline memory at that load, not a
 * value with the leak accumulated so far. Likewise cpu saturation's floor and
 * a traffic surge's load (which moves every metric of the service) are simply
 * absent.
 *
 * Values are those of the generator whether or not the sample is dropped as
 * a gap (signals.ts isGap).
 */
import { NO_EFFECTS, effectsAt } from './effects.js';
import type { Effects } from './effects.js';
import type { World } from './generate.js';
import { sample, signalKeys } from './signals.js';
import type { SimIncident, SimMetric } from './types.js';

/** A sample as simulated and without injected effects. */
export interface SimulatedValue {
  readonly actual: number;
  readonly counterfactual: number;
}

/**
 * The value of `metric` of `service` at `t`, with the effects `fx` picks from
 * the service's injected incidents. null when there is no sample at `t` (an
 * unknown service, before the simulator's start, or off its step grid).
 */
function valueAt(
  world: World,
  service: string,
  metric: SimMetric,
  t: number,
  fx: (own: readonly SimIncident[]) => Effects,
): number | null {
  const { spec, scenario } = world;
  const profile = world.profiles.get(service);
  const i = (t - spec.start) / spec.stepMs;
  if (!profile || !Number.isSafeInteger(i) || i < 0) return null;
  const own = scenario.incidents.filter((inc) => inc.service === service);
  return sample(profile, signalKeys(spec.seed, service), i, t, spec.stepMs, fx(own))[metric];
}

/** What the series reads at `t` (generateSeries' value there); null as valueAt. */
export function actualAt(world: World, service: string, metric: SimMetric, t: number): number | null {
  return valueAt(world, service, metric, t, (own) => effectsAt(own, t, world.spec.stepMs));
}

/** What the series would read at `t` with no injected incident at all; null as valueAt. */
export function counterfactualAt(world: World, service: string, metric: SimMetric, t: number): number | null {
  return valueAt(world, service, metric, t, () => NO_EFFECTS);
}

/** Both values at `t`, or null when there is no sample at `t`. */
export function simulatedValueAt(world: World, service: string, metric: SimMetric, t: number): SimulatedValue | null {
  const actual = actualAt(world, service, metric, t);
  const counterfactual = counterfactualAt(world, service, metric, t);
  return actual === null || counterfactual === null ? null : { actual, counterfactual };
}
