/**
 * The event schedule: which deploys happen, which of them inject a regression,
 * and which unrelated incidents strike. A pure function of the SimSpec, so a
 * benchmark can rebuild the same ground truth anywhere. Layout of time:
 *   [start, warmupEnd)  quiet: detectors need a baseline (≥12% of the span, ≥2h)
 *   [warmupEnd, end)    deploys every 2–6h per service, about half injecting a
 *                       regression 1–4 steps after the deploy; 1 (spans <12h) or
 *                       2 unrelated incidents; the first one gets an innocent
 *                       "decoy" deploy on its service a few steps before it.
 * Regressions never outlive the next deploy of their service (it is the fix),
 * never reach into an unrelated incident's guard window, and end by `end`.
 * Throws nothing; a span too short for events just yields none.
 */
import type { Deployment } from '../../domain/index.js';
import { Stream, hashString } from './prng.js';
import { serviceProfiles } from './profiles.js';
import type { Scenario, SimIncident, SimIncidentKind, SimMetric, SimSpec } from './types.js';
import { SIM_METRICS } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
/** No regular deploy lands this close to an unrelated incident on the same service. */
const GUARD_MS = 90 * MIN;
const DEPLOY_KINDS: readonly SimIncidentKind[] = ['latency_step', 'error_spike', 'memory_leak', 'cpu_saturation'];
const ACTORS = ['alice', 'bob', 'carol', 'dan', 'ci-bot'];

export const KIND_METRICS: Readonly<Record<SimIncidentKind, readonly SimMetric[]>> = {
  latency_step: ['latency_p95_ms'],
  error_spike: ['error_rate'],
  memory_leak: ['memory_mb'],
  cpu_saturation: ['cpu_pct', 'latency_p95_ms'],
  unrelated_spike: ['request_rate', 'cpu_pct'],
  dependency_degradation: ['latency_p95_ms', 'error_rate'],
};

function magnitude(kind: SimIncidentKind, u: number): number {
  const [lo, hi] = ({
    latency_step: [1.6, 2.5], error_spike: [5, 20], memory_leak: [0.6, 1.5],
    cpu_saturation: [91, 97], unrelated_spike: [1.8, 2.6], dependency_degradation: [1.6, 2.2],
  } as const)[kind];
  return Math.round((lo + (hi - lo) * u) * 100) / 100;
}

interface Plan { readonly service: string; readonly t: number; readonly decoy: boolean; readonly rng: Stream }

export function buildScenario(spec: SimSpec): Scenario {
  const { seed, start, stepMs, durationMs } = spec;
  const end = start + durationMs;
  const gridCeil = (t: number) => start + Math.ceil((t - start) / stepMs) * stepMs;
  const gridFloor = (t: number) => start + Math.floor((t - start) / stepMs) * stepMs;
  const warmupEnd = gridCeil(start + Math.max(0.12 * durationMs, 2 * HOUR));
  const names = serviceProfiles(seed, spec.services).map((p) => p.name);
  const incidents: SimIncident[] = [];
  const plans: Plan[] = [];
  const blocks = new Map<string, Array<[number, number]>>();

  // Unrelated incidents first: regular deploys are then kept clear of them.
  const urng = new Stream([seed, hashString('unrelated')]);
  const count = durationMs >= 12 * HOUR ? 2 : 1;
  const segment = (end - warmupEnd) / count;
  const firstService = urng.int(0, names.length - 1);
  const firstKind = urng.pick<SimIncidentKind>(['unrelated_spike', 'dependency_degradation']);
  for (let j = 0; j < count; j++) {
    const service = names[(firstService + j * (1 + urng.int(0, Math.max(0, names.length - 2)))) % names.length] ?? '';
    const kind: SimIncidentKind = j === 0 ? firstKind : firstKind === 'unrelated_spike' ? 'dependency_degradation' : 'unrelated_spike';
    const len = Math.ceil(Math.max(15 * stepMs, urng.between(20, 60) * MIN) / stepMs) * stepMs;
    const lo = gridCeil(warmupEnd + j * segment + 15 * stepMs);
    const hi = gridFloor(warmupEnd + (j + 1) * segment - len);
    const mag = magnitude(kind, urng.next());
    const decoySteps = urng.int(3, 10);
    const decoyFrac = urng.next();
    const u = urng.next();
    if (hi < lo) continue;
    const s = gridFloor(lo + u * (hi - lo));
    incidents.push({ id: '', service, metrics: KIND_METRICS[kind], kind, start: s, end: s + len, causedBy: null, magnitude: mag });
    const list = blocks.get(service) ?? [];
    list.push([s - GUARD_MS, s + len + GUARD_MS]);
    blocks.set(service, list);
    if (j === 0) plans.push({ service, t: Math.round((s - (decoySteps + 0.9 * decoyFrac) * stepMs) / 1000) * 1000, decoy: true, rng: new Stream([seed, hashString('decoy')]) });
  }

  for (const service of names) {
    const rng = new Stream([seed, hashString('deploys'), hashString(service)]);
    const blocked = blocks.get(service) ?? [];
    for (let t = warmupEnd + rng.between(0.25, 3) * HOUR; t < end - 30 * MIN; t += rng.between(2, 6) * HOUR) {
      const at = Math.round(t / 1000) * 1000;
      if (blocked.some(([a, b]) => at >= a && at < b)) continue;
      plans.push({ service, t: at, decoy: false, rng: new Stream([seed, hashString('deploy'), hashString(service), at]) });
    }
  }

  const deployments: Deployment[] = [];
  const candidates: Array<{ plan: Plan; id: string; limit: number; kind: SimIncidentKind; delay: number; dur: number; mag: number; inject: boolean }> = [];
  for (const service of names) {
    const mine = plans.filter((p) => p.service === service).sort((a, b) => a.t - b.t);
    const blockStarts = (blocks.get(service) ?? []).map(([a]) => a);
    mine.forEach((plan, k) => {
      const id = `sim-${seed}-${service}-${k + 1}`;
      const r = plan.rng;
      // Fixed number of draws per deploy, so one decision never shifts another's randomness.
      const [inject, kindU, delay, durU, magU, actor, canary, took] = [r.next() < 0.5, r.next(), r.int(1, 4), r.next(), r.next(), r.pick(ACTORS), r.next() < 0.3, r.int(2, 8)];
      deployments.push({
        id, service, environment: 'production', version: `1.${k + 1}.0`, startedAt: plan.t, finishedAt: plan.t + took * MIN,
        status: 'succeeded', actor, source: 'simulator', url: null, strategy: canary ? 'canary' : 'rolling',
      });
      if (plan.decoy) return;
      const next = mine[k + 1]?.t ?? end;
      const limit = Math.min(next, end, ...blockStarts.filter((a) => a > plan.t));
      const kind = DEPLOY_KINDS[Math.floor(kindU * DEPLOY_KINDS.length)] ?? 'latency_step';
      const dur = (kind === 'memory_leak' ? 120 + 120 * durU : 30 + 90 * durU) * MIN;
      candidates.push({ plan, id, limit, kind, delay, dur, mag: magnitude(kind, magU), inject });
    });
  }

  const span = (c: (typeof candidates)[number]) => {
    const s = gridCeil(c.plan.t + 1) + c.delay * stepMs;
    const e = gridFloor(Math.min(s + Math.max(c.dur, 15 * stepMs), c.limit));
    return { s, e, ok: e - s >= 10 * stepMs };
  };
  // Every schedule with room for one gets at least one deploy-caused regression.
  if (!candidates.some((c) => c.inject && span(c).ok)) {
    const best = candidates.filter((c) => span(c).ok).sort((a, b) => (span(b).e - span(b).s) - (span(a).e - span(a).s))[0];
    if (best) best.inject = true;
  }
  for (const c of candidates) {
    const { s, e, ok } = span(c);
    if (!c.inject || !ok) continue;
    incidents.push({ id: '', service: c.plan.service, metrics: KIND_METRICS[c.kind], kind: c.kind, start: s, end: e, causedBy: c.id, magnitude: c.mag });
  }

  incidents.sort((a, b) => a.start - b.start || a.service.localeCompare(b.service));
  deployments.sort((a, b) => a.startedAt - b.startedAt || a.service.localeCompare(b.service));
  return {
    seed, start, stepMs, durationMs, warmupEnd,
    services: names.map((name) => ({ name, metrics: SIM_METRICS })),
    deployments,
    incidents: incidents.map((inc, n) => ({ ...inc, id: `sim-${seed}-incident-${n + 1}` })),
  };
}
