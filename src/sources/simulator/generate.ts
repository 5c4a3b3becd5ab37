/**
 * A simulated world (spec + scenario + profiles) and the series of one service
 * over a range. Pure: the same spec, service and range always give the same
 * points, and disjoint ranges concatenate to their union.
 */
import { seriesKey } from '../../domain/index.js';
import type { Point, Series, TimeRange } from '../../domain/index.js';
import { effectsAt } from './effects.js';
import { dependencyProfile, serviceProfiles } from './profiles.js';
import type { ServiceProfile } from './profiles.js';
import { buildScenario } from './schedule.js';
import { isGap, sample, signalKeys } from './signals.js';
import { SIM_METRICS } from './types.js';
import type { Scenario, SimSpec } from './types.js';

export const SOURCE_ID = 'simulator';

export interface World {
  readonly spec: SimSpec;
  readonly scenario: Scenario;
  readonly profiles: ReadonlyMap<string, ServiceProfile>;
}

export function buildWorld(spec: SimSpec): World {
  return {
    spec,
    scenario: buildScenario(spec),
    profiles: new Map(
      [...serviceProfiles(spec.seed, spec.services), dependencyProfile(spec.seed)].map((p) => [p.name, p]),
    ),
  };
}

/** Sample indices i (t = start + i·step, i ≥ 0) with t in [from, to). */
export function stepRange(spec: SimSpec, range: TimeRange): { first: number; end: number } {
  const first = Math.max(0, Math.ceil((range.from - spec.start) / spec.stepMs));
  const end = Math.max(first, Math.ceil((range.to - spec.start) / spec.stepMs));
  return { first, end };
}

export function generateSeries(world: World, profile: ServiceProfile, range: TimeRange): Series[] {
  const { spec, scenario } = world;
  const { first, end } = stepRange(spec, range);
  const keys = signalKeys(spec.seed, profile.name);
  const from = spec.start + first * spec.stepMs;
  const to = spec.start + end * spec.stepMs;
  const active = scenario.incidents.filter((inc) => inc.service === profile.name && inc.end > from && inc.start < to);
  const points: Point[][] = SIM_METRICS.map(() => []);
  for (let i = first; i < end; i++) {
    const t = spec.start + i * spec.stepMs;
    const values = sample(profile, keys, i, t, spec.stepMs, effectsAt(active, t, spec.stepMs));
    SIM_METRICS.forEach((metric, m) => {
      if (!isGap(keys, m, i)) points[m]?.push({ t, v: values[metric] });
    });
  }
  return SIM_METRICS.map((metric, m) => {
    const labels = { service: profile.name };
    return {
      ref: { key: seriesKey(SOURCE_ID, metric, labels), source: SOURCE_ID, metric, service: profile.name, labels },
      points: points[m] ?? [],
    };
  });
}
