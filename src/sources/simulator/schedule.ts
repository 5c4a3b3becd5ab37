/**
 * The event schedule: which deploys happen, which of them inject a regression,
 * and which unrelated incidents strike. A pure function of the SimSpec, so a
 * benchmark can rebuild the same ground truth anywhere. Layout of time:
 *   [start, warmupEnd)  quiet: detectors need a baseline (≥12% of the span, ≥2h)
 *   [warmupEnd, end)    deploys every 2–6h per service, about half injecting a
 *                       regression 1–4 steps after the deploy; unrelated
 *                       incidents and a decoy deploy (see unrelated.ts).
 * The fleet's services all call one shared dependency (profiles.ts DEPENDENCY),
 * a service of the scenario that is watched but never deployed.
 * Regressions never outlive the next deploy of their service (it is the fix),
 * never reach into an unrelated incident's guard window, and end by `end`.
 * At least one deploy causes a regression whenever some service has a free
 * stretch of ≥16 steps (always so at 1-minute steps for spans ≥ 6h). Never throws.
 */
import type { Deployment } from '../../domain/index.js';
import { Stream, hashString } from './prng.js';
import { DEPENDENCY, serviceProfiles } from './profiles.js';
import type { Scenario, SimIncident, SimIncidentKind, SimSpec } from './types.js';
import { SIM_METRICS } from './types.js';
import { KIND_METRICS, magnitude, planUnrelated } from './unrelated.js';
import { scheduleClock } from './clock.js';

const DEPLOY_KINDS: readonly SimIncidentKind[] = ['latency_step', 'error_spike', 'memory_leak', 'cpu_saturation'];
const ACTORS = ['alice', 'bob', 'carol', 'dan', 'ci-bot'];

/** A planned deploy; `force` marks the fallback that guarantees one regression. */
interface Plan {
  readonly service: string;
  readonly t: number;
  readonly decoy: boolean;
  readonly force: boolean;
}

export function buildScenario(spec: SimSpec): Scenario {
  const { seed, start, stepMs, durationMs } = spec;
  const { MIN, HOUR, end, gridCeil, gridFloor } = scheduleClock(spec);
  const warmupEnd = gridCeil(start + Math.max(0.12 * durationMs, 2 * HOUR));
  const names = serviceProfiles(seed, spec.services).map((p) => p.name);
  const unrelated = planUnrelated(spec, names, warmupEnd);
  const blocksOf = (service: string) => unrelated.blocks.get(service) ?? [];
  const plans: Plan[] = unrelated.decoy ? [{ ...unrelated.decoy, decoy: true, force: false }] : [];

  for (const service of names) {
    const rng = new Stream([seed, hashString('deploys'), hashString(service)]);
    for (let t = warmupEnd + rng.between(0.25, 3) * HOUR; t < end - 30 * MIN; t += rng.between(2, 6) * HOUR) {
      const at = Math.round(t / 1000) * 1000;
      if (!blocksOf(service).some(([a, b]) => at >= a && at < b))
        plans.push({ service, t: at, decoy: false, force: false });
    }
  }
  // Per-service deploy times, ascending; rebuilt when the fallback adds a plan.
  let times = new Map<string, number[]>();
  const reindex = () => {
    times = new Map(
      names.map((n) => [
        n,
        plans
          .filter((p) => p.service === n)
          .map((p) => p.t)
          .sort((a, b) => a - b),
      ]),
    );
  };
  reindex();
  /** Latest end a regression after a deploy at `t` may have: next deploy, next guard window, or `end`. */
  const limitAfter = (service: string, t: number) => {
    const mine = times.get(service) ?? [];
    let lo = 0;
    let hi = mine.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((mine[mid] ?? Infinity) <= t) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(
      end,
      mine[lo] ?? end,
      ...blocksOf(service)
        .map(([a]) => a)
        .filter((a) => a > t),
    );
  };
  /** The deploy's own draws, a fixed number keyed by (seed, service, time): one decision never shifts another's. */
  const decide = (p: Plan) => {
    const r = new Stream([seed, hashString('deploy'), hashString(p.service), p.t]);
    const [inject, kindU, delay, durU, magU, actor, canary, took] = [
      r.next() < 0.5,
      r.next(),
      r.int(1, 4),
      r.next(),
      r.next(),
      r.pick(ACTORS),
      r.next() < 0.3,
      r.int(2, 8),
    ];
    const kind = DEPLOY_KINDS[Math.floor(kindU * DEPLOY_KINDS.length)] ?? 'latency_step';
    const dur = Math.max(15 * stepMs, (kind === 'memory_leak' ? 120 + 120 * durU : 30 + 90 * durU) * MIN);
    const s = gridCeil(p.t + 1) + delay * stepMs;
    const e = gridFloor(Math.min(s + dur, limitAfter(p.service, p.t)));
    // Too little room before the next deploy: the deploy stays innocent.
    const injects = !p.decoy && (inject || p.force) && e - s >= 10 * stepMs;
    return { injects, kind, s, e, mag: magnitude(kind, magU), actor, canary, took };
  };

  if (!plans.some((p) => decide(p).injects)) {
    // Guarantee one regression: force the roomiest deploy, else add one in the widest free stretch.
    const room = (service: string, t: number) => limitAfter(service, t) - t;
    const roomiest = plans.filter((p) => !p.decoy).sort((a, b) => room(b.service, b.t) - room(a.service, a.t))[0];
    if (roomiest && room(roomiest.service, roomiest.t) >= 16 * stepMs) {
      plans[plans.indexOf(roomiest)] = { ...roomiest, force: true };
    } else {
      const slots = names.flatMap((service) =>
        [
          warmupEnd,
          ...blocksOf(service).map(([, b]) => b),
          ...plans.filter((p) => p.service === service).map((p) => p.t + stepMs),
        ]
          .filter((t) => t >= warmupEnd && t < end && !blocksOf(service).some(([a, b]) => t >= a && t < b))
          .map((t) => ({ service, t: gridCeil(t) + 7000, room: room(service, t) })),
      );
      const best = slots.sort((a, b) => b.room - a.room)[0];
      if (best && best.room >= 16 * stepMs) plans.push({ service: best.service, t: best.t, decoy: false, force: true });
      reindex();
    }
  }

  const deployments: Deployment[] = [];
  const incidents: SimIncident[] = [...unrelated.incidents];
  for (const service of names) {
    plans
      .filter((p) => p.service === service)
      .sort((a, b) => a.t - b.t)
      .forEach((plan, k) => {
        const id = `sim-${seed}-${service}-${k + 1}`;
        const d = decide(plan);
        deployments.push({
          id,
          service,
          environment: 'production',
          version: `1.${k + 1}.0`,
          startedAt: plan.t,
          finishedAt: plan.t + d.took * MIN,
          status: 'succeeded',
          actor: d.actor,
          source: 'simulator',
          url: null,
          strategy: d.canary ? 'canary' : 'rolling',
        });
        if (d.injects)
          incidents.push({
            id: '',
            service,
            metrics: KIND_METRICS[d.kind],
            kind: d.kind,
            start: d.s,
            end: d.e,
            causedBy: id,
            magnitude: d.mag,
          });
      });
  }

  incidents.sort((a, b) => a.start - b.start || a.service.localeCompare(b.service));
  deployments.sort((a, b) => a.startedAt - b.startedAt || a.service.localeCompare(b.service));
  return {
    seed,
    start,
    stepMs,
    durationMs,
    warmupEnd,
    services: [...names, DEPENDENCY].map((name) => ({ name, metrics: SIM_METRICS })),
    deployments,
    incidents: incidents.map((inc, n) => ({ ...inc, id: `sim-${seed}-incident-${n + 1}` })),
  };
}
