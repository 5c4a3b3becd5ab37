/** counterfactual.ts: a simulated series' value at one sample, as generated and with no injected incident. */
import type { Series } from '../../../src/domain/index.js';
import { actualAt, counterfactualAt, simulatedValueAt } from '../../../src/sources/simulator/counterfactual.js';
import { buildWorld, generateSeries } from '../../../src/sources/simulator/generate.js';
import type { World } from '../../../src/sources/simulator/generate.js';
import { SIM_METRICS } from '../../../src/sources/simulator/index.js';
import type { SimIncident, SimMetric } from '../../../src/sources/simulator/index.js';
import { DAY, HOUR, START, sim } from './helpers.js';

const MIN = 60_000;
const SERVICE = 'checkout';
const base = buildWorld({ seed: 7, start: START, stepMs: MIN, services: 2, durationMs: DAY });

/** The base world with exactly these injected incidents. */
const withIncidents = (incidents: SimIncident[]): World => ({
  ...base,
  scenario: { ...base.scenario, incidents },
});

const incident = (kind: SimIncident['kind'], magnitude: number, from: number, to: number): SimIncident => ({
  id: `e-${kind}`,
  service: SERVICE,
  metrics: [],
  kind,
  start: from,
  end: to,
  causedBy: 'd1',
  magnitude,
});

function generated(world: World, from: number, to: number): Series[] {
  return generateSeries(world, world.profiles.get(SERVICE)!, { from, to });
}

const metricOf = (s: Series) => s.ref.metric as SimMetric;

describe('counterfactualAt', () => {
  const stepFrom = START + 10 * HOUR;
  const stepTo = START + 11 * HOUR;
  // Another service's step (before checkout's) must not move checkout.
  const stepped = withIncidents([
    { ...incident('latency_step', 3, START + 9 * HOUR, START + 10 * HOUR), id: 'other', service: 'payments' },
    incident('latency_step', 2, stepFrom, stepTo),
  ]);

  it('with a latency step: actualAt is the generated value; the counterfactual equals it outside the step and halves latency inside', () => {
    let inside = 0;
    for (const series of generated(stepped, START + 9 * HOUR, START + 12 * HOUR)) {
      const metric = metricOf(series);
      for (const { t, v } of series.points) {
        expect(actualAt(stepped, SERVICE, metric, t)).toBe(v);
        const cf = counterfactualAt(stepped, SERVICE, metric, t)!;
        if (t < stepFrom || t >= stepTo || metric !== 'latency_p95_ms') expect(cf).toBe(v);
        else {
          inside++;
          expect(cf).not.toBe(v);
          // Both rounded to 0.1 ms: the doubled latency is 2x the clean one within 0.15.
          expect(Math.abs(v - 2 * cf)).toBeLessThanOrEqual(0.15 + 1e-9);
        }
      }
    }
    expect(inside).toBeGreaterThan(50);
  });

  it('with no injected incident, equals the generated value at every sample of every metric', () => {
    const clean = withIncidents([]);
    for (const series of generated(clean, START, START + 6 * HOUR))
      for (const { t, v } of series.points) {
        expect(counterfactualAt(clean, SERVICE, metricOf(series), t)).toBe(v);
        expect(actualAt(clean, SERVICE, metricOf(series), t)).toBe(v);
      }
  });

  it("is the scenario without its incidents: the stepped world's counterfactual is the clean world's series", () => {
    const clean = withIncidents([]);
    for (const series of generated(clean, stepFrom - HOUR, stepTo + HOUR))
      for (const { t, v } of series.points) expect(counterfactualAt(stepped, SERVICE, metricOf(series), t)).toBe(v);
  });

  it('with a memory leak: no memory growth in the counterfactual, the full growth in the actual value at its last sample, and equal once it ends', () => {
    const from = START + 10 * HOUR;
    const to = from + 2 * HOUR;
    const leak = withIncidents([incident('memory_leak', 0.5, from, to)]);
    const last = to - MIN;
    const v = simulatedValueAt(leak, SERVICE, 'memory_mb', last)!;
    // actual = base·(1 + 0.5) + noise, counterfactual = base + noise (noise ≈ 0.6% of the profile's memory).
    expect(v.actual - v.counterfactual).toBeGreaterThan(0.45 * v.counterfactual);
    expect(v.actual - v.counterfactual).toBeLessThan(0.55 * v.counterfactual);
    const half = simulatedValueAt(leak, SERVICE, 'memory_mb', from + HOUR - MIN)!;
    expect(half.actual - half.counterfactual).toBeLessThan(0.3 * half.counterfactual);
    expect(half.actual - half.counterfactual).toBeGreaterThan(0.2 * half.counterfactual);
    const after = simulatedValueAt(leak, SERVICE, 'memory_mb', to)!;
    expect(after.actual).toBe(after.counterfactual);
    expect(simulatedValueAt(leak, SERVICE, 'memory_mb', from - MIN)).toEqual(
      simulatedValueAt(withIncidents([]), SERVICE, 'memory_mb', from - MIN),
    );
  });

  it('is null where there is no sample: an unknown service, before the start, off the step grid', () => {
    expect(counterfactualAt(base, 'nope', 'cpu_pct', START)).toBeNull();
    expect(counterfactualAt(base, SERVICE, 'cpu_pct', START - MIN)).toBeNull();
    expect(counterfactualAt(base, SERVICE, 'cpu_pct', START + 30_000)).toBeNull();
    expect(simulatedValueAt(base, SERVICE, 'cpu_pct', START + 30_000)).toBeNull();
    expect(counterfactualAt(base, SERVICE, 'cpu_pct', START)).not.toBeNull();
  });
});

describe('Simulator.valueAt', () => {
  it("answers for the simulator's own series keys, in step with fetch, and null for any other key", async () => {
    const s = sim({ services: 2 });
    const scenario = s.scenario();
    // The first injected incident of all: nothing else is injected before it.
    const e = scenario.incidents[0]!;
    const [query] = (await s.queries()).filter((q) => q.params.service === e.service);
    const series = await s.fetch(query!, { from: e.start - HOUR, to: e.end });
    let moved = 0;
    for (const x of series) {
      expect(SIM_METRICS).toContain(x.ref.metric);
      for (const p of x.points) {
        const v = s.valueAt(x.ref.key, p.t)!;
        expect(v.actual).toBe(p.v);
        if (p.t < e.start) expect(v.counterfactual).toBe(p.v);
        else if (v.counterfactual !== p.v) moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(s.valueAt('simulator:cpu_pct{service="nope"}', START)).toBeNull();
    expect(s.valueAt('prometheus:cpu_pct{service="checkout"}', START)).toBeNull();
  });
});
