import type { SimIncident } from '../../../src/sources/simulator/index.js';
import { DAY, HOUR, START, fetchAll, mean, sim } from './helpers.js';

const SPANS = [6 * HOUR, DAY, 3 * DAY, 14 * DAY];
const SEEDS = [1, 2, 3, 42, 1234];

describe('simulator schedule', () => {
  for (const durationMs of SPANS) {
    for (const seed of SEEDS) {
      it(`holds its invariants (seed ${seed}, ${durationMs / HOUR}h)`, () => {
        const sc = sim({ seed, durationMs }).scenario();
        const end = START + durationMs;
        expect(sc.warmupEnd).toBeGreaterThanOrEqual(START + Math.max(0.12 * durationMs, 2 * HOUR));
        for (const d of sc.deployments) {
          expect(d.startedAt).toBeGreaterThanOrEqual(sc.warmupEnd);
          expect(d.startedAt).toBeLessThan(end);
          expect(d.source).toBe('simulator');
        }
        expect(new Set(sc.deployments.map((d) => d.id)).size).toBe(sc.deployments.length);
        const byId = new Map(sc.deployments.map((d) => [d.id, d]));
        for (const inc of sc.incidents) {
          expect(inc.start).toBeGreaterThanOrEqual(sc.warmupEnd);
          expect(inc.end).toBeLessThanOrEqual(end);
          expect(inc.end - inc.start).toBeGreaterThanOrEqual(10 * sc.stepMs);
          if (inc.causedBy === null) continue;
          const d = byId.get(inc.causedBy);
          expect(d?.service).toBe(inc.service);
          // starts within a few steps after its deploy
          expect(inc.start).toBeGreaterThan(d!.startedAt);
          expect(inc.start - d!.startedAt).toBeLessThanOrEqual(5 * sc.stepMs);
        }
        // incidents of one service never overlap: each has one clear cause
        for (const service of sc.services.map((s) => s.name)) {
          const mine = sc.incidents.filter((i) => i.service === service);
          mine.slice(1).forEach((inc, k) => expect(inc.start).toBeGreaterThanOrEqual(mine[k]!.end));
        }
        const caused = new Set(sc.incidents.map((i) => i.causedBy));
        const unrelated = sc.incidents.filter((i) => i.causedBy === null && i.service !== 'database');
        expect(sc.incidents.some((i) => i.causedBy !== null)).toBe(true);
        expect(sc.deployments.some((d) => !caused.has(d.id))).toBe(true);
        expect(unrelated.length).toBeGreaterThanOrEqual(1);
        expect(unrelated.length).toBeLessThanOrEqual(2);
        // the shared dependency is watched, never deployed, and degrades exactly when a caller does
        expect(sc.services.at(-1)?.name).toBe('database');
        expect(sc.deployments.some((d) => d.service === 'database')).toBe(false);
        const roots = sc.incidents.filter((i) => i.service === 'database');
        const callers = unrelated.filter((i) => i.kind === 'dependency_degradation');
        expect(roots.map((r) => [r.kind, r.start, r.end, r.causedBy])).toEqual(
          callers.map((c) => ['dependency_degradation', c.start, c.end, null]),
        );
        // an innocent deploy shortly before an unrelated incident, on its service
        const decoy = sc.deployments.find(
          (d) =>
            !caused.has(d.id) &&
            unrelated.some(
              (u) => u.service === d.service && d.startedAt < u.start && u.start - d.startedAt <= 15 * sc.stepMs,
            ),
        );
        expect(decoy).toBeDefined();
      });
    }
  }

  it('injects regressions in roughly half of the regular deploys over a long span', () => {
    const sc = sim({ seed: 5, durationMs: 14 * DAY }).scenario();
    const share = sc.incidents.filter((i) => i.causedBy).length / sc.deployments.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    expect(new Set(sc.incidents.map((i) => i.kind))).toEqual(
      new Set([
        'latency_step',
        'error_spike',
        'memory_leak',
        'cpu_saturation',
        'unrelated_spike',
        'dependency_degradation',
      ]),
    );
  });

  it('depends only on (seed, start, duration, services, step)', () => {
    expect(sim({ seed: 3 }).scenario()).toEqual(sim({ seed: 3 }).scenario());
    expect(sim({ seed: 3 }).scenario()).not.toEqual(sim({ seed: 3, services: 5 }).scenario());
  });
});

describe('injected incidents', () => {
  /** Mean inside the incident vs. the hour before it, skipping samples inside other incidents of the service. */
  function ratios(
    inc: SimIncident,
    others: readonly SimIncident[],
    points: ReadonlyArray<{ t: number; v: number }>,
    stepMs: number,
  ) {
    const busy = (t: number) => others.some((o) => o !== inc && o.service === inc.service && t >= o.start && t < o.end);
    const before = points
      .filter((p) => p.t >= inc.start - 60 * stepMs && p.t < inc.start && !busy(p.t))
      .map((p) => p.v);
    const during = points.filter((p) => p.t >= inc.start && p.t < inc.end).map((p) => p.v);
    return { before, during };
  }

  for (const [seed, durationMs] of [
    [1, DAY],
    [2, 3 * DAY],
    [42, 6 * HOUR],
    [77, 2 * DAY],
  ] as const) {
    it(`raise every metric they name above the preceding baseline (seed ${seed}, ${durationMs / HOUR}h)`, async () => {
      const s = sim({ seed, durationMs });
      const sc = s.scenario();
      const all = await fetchAll(s, START, START + durationMs);
      let checked = 0;
      const weak: string[] = [];
      for (const inc of sc.incidents) {
        for (const metric of inc.metrics) {
          const { before, during } = ratios(inc, sc.incidents, all.get(`${inc.service}/${metric}`)!.points, sc.stepMs);
          if (before.length < 20) continue;
          checked++;
          const ratio = mean(during) / mean(before);
          if (ratio < 1.2) weak.push(`${inc.id} ${inc.kind} ${metric} x${ratio.toFixed(2)}`);
        }
      }
      expect(weak).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(sc.incidents.length);
    });
  }

  it('returns to baseline after the incident ends', async () => {
    const s = sim({ seed: 1, durationMs: DAY });
    const inc = s.scenario().incidents.find((i) => i.kind === 'latency_step' || i.kind === 'error_spike');
    expect(inc).toBeDefined();
    const metric = inc!.metrics[0]!;
    const all = await fetchAll(s, inc!.start - HOUR, inc!.end + 30 * 60_000);
    const pts = all.get(`${inc!.service}/${metric}`)!.points;
    const before = mean(pts.filter((p) => p.t < inc!.start).map((p) => p.v));
    const after = mean(pts.filter((p) => p.t >= inc!.end + 10 * 60_000).map((p) => p.v));
    expect(after / before).toBeLessThan(1.2);
    expect(after / before).toBeGreaterThan(0.8);
  });
});

describe('schedule counted in samples', () => {
  it('gives a 30-minute span at 1 s steps about the events of 30 hours at 1 min steps', () => {
    const fast = sim({ seed: 5, stepMs: 1000, durationMs: 30 * 60_000 }).scenario();
    const slow = sim({ seed: 5, stepMs: 60_000, durationMs: 30 * HOUR }).scenario();
    expect(fast.incidents.filter((i) => i.causedBy !== null).length).toBeGreaterThanOrEqual(2);
    expect(fast.incidents.every((i) => i.start >= fast.warmupEnd && i.end <= START + 30 * 60_000)).toBe(true);
    expect((fast.warmupEnd - START) / 1000).toBe((slow.warmupEnd - START) / 60_000);
    expect(Math.abs(fast.deployments.length - slow.deployments.length)).toBeLessThanOrEqual(
      Math.ceil(slow.deployments.length * 0.3),
    );
  });
});
