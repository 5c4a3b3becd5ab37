/**
 * Shared-cause evidence for attribution (rank.ts): another service, with no
 * deploy of its own, that got worse at the incident's onset. A deploy cannot
 * reach a service that does not call it, so a common dependency degrading
 * explains both better than the deploy does. Set aside when that service
 * calls the deployed one (it may be the deploy's victim), declared or
 * seen in its failures (only its errors rose, and it gained no more failed
 * requests than the deployed service did: failures.ts), when its own
 * demand rose at onset (load the change pushed onto it), and when the
 * incident's own cpu, memory or other local resource rose sharply at onset
 * (a dependency passes on latency and errors, not saturation). Pure.
 */
import type { Deployment, Point } from '../../domain/index.js';
import { badDirection, isDemandMetric, isInheritedSymptom } from '../../domain/direction.js';
import { describeChange, pValue, relativeChange, sharpRise, shiftAt, type Shift } from './shift.js';
import { failureRise, isErrorMetric } from './failures.js';

/** A series of a service outside the incident that turned anomalous around onset, or one of its demand series. */
export interface NeighbourSeries {
  readonly service: string;
  readonly metric: string;
  readonly points: readonly Point[];
  /** Its service had a deploy of its own near onset, which may explain it. */
  readonly deployed: boolean;
}

export interface SharedCause {
  readonly service: string;
  readonly text: string;
  /** Every metric of it that rose sharply counts failed requests (no latency or saturation rose). */
  readonly errorsOnly: boolean;
  /** Requests a sample it failed more after onset than before, when its series say (failures.ts). */
  readonly failureRise: number | null;
}

/**
 * Services with no deploy of their own whose worse-is-up metric (latency,
 * errors, saturation) rose sharply at `onset` (U-test over `window` either
 * side) while their demand did not: one per service, the largest rise.
 */
export function sharedCauses(neighbours: readonly NeighbourSeries[], onset: number, window: number): SharedCause[] {
  const test = (points: readonly Point[]) => shiftAt(points, onset, { window });
  const byService = new Map<string, NeighbourSeries[]>();
  for (const n of neighbours) byService.set(n.service, [...(byService.get(n.service) ?? []), n]);
  const out: SharedCause[] = [];
  for (const [service, list] of byService) {
    if (list.some((n) => n.deployed)) continue;
    if (list.some((n) => isDemandMetric(n.metric) && sharpRise(test(n.points)))) continue;
    let best: { n: NeighbourSeries; shift: Shift } | null = null;
    let errorsOnly = true;
    for (const n of list) {
      if (isDemandMetric(n.metric) || badDirection(n.metric) !== 'up') continue;
      const shift = test(n.points);
      if (!sharpRise(shift)) continue;
      if (!isErrorMetric(n.metric)) errorsOnly = false;
      if (shift.p < 0.01 && (!best || relativeChange(shift) > relativeChange(best.shift))) best = { n, shift };
    }
    if (best) {
      out.push({
        service,
        errorsOnly,
        failureRise: failureRise(list, onset, window),
        text: `competing explanation: ${service} ${best.n.metric} rose ${describeChange(best.shift.beforeMedian, best.shift.afterMedian)} at onset (U-test p=${pValue(best.shift.p)}) with no deploy of its own; a shared cause, such as a common dependency, explains both`,
      });
    }
  }
  return out;
}

/** One of the incident's own series that a dependency cannot pass on (cpu, memory...) rose sharply at onset. */
export function localSymptom(
  series: ReadonlyArray<{ readonly metric: string; readonly points: readonly Point[]; readonly inIncident: boolean }>,
  onset: number,
  window: number,
): boolean {
  return series.some(
    (s) =>
      s.inIncident &&
      badDirection(s.metric) === 'up' &&
      !isInheritedSymptom(s.metric) &&
      sharpRise(shiftAt(s.points, onset, { window })),
  );
}

/**
 * The first shared cause a deploy of `d.service` cannot explain, as a
 * reason: on a service that does not depend on it, as declared or as its
 * failures show. `deployedRise` is the failures the deployed service gained
 * at onset (failures.ts), null when its series do not say.
 */
export function sharedFor(
  d: Deployment,
  shared: readonly SharedCause[],
  dependsOn: (service: string) => readonly string[],
  deployedRise: number | null = null,
): string | null {
  return (
    shared.find(
      (c) => c.service !== d.service && !dependsOn(c.service).includes(d.service) && !mayBeVictim(c, deployedRise),
    )?.text ?? null
  );
}

/**
 * A caller that only inherits errors fails at most the requests its calls
 * to the deployed service failed: a competitor whose errors alone rose, by
 * no more failures than the deployed service gained, may be its caller, and
 * is no evidence against the deploy. One that gained more failed some on
 * its own; one that also got slower may be a slow dependency whose callers
 * time out, which the bound does not cover.
 */
function mayBeVictim(c: SharedCause, deployedRise: number | null): boolean {
  return (
    c.errorsOnly && c.failureRise !== null && deployedRise !== null && deployedRise > 0 && c.failureRise <= deployedRise
  );
}
