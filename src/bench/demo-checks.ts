/**
 * The incident posts of a demo run against the simulator's ground truth:
 * "every deploy-caused incident recommends a rollback playbook, and
 * every headline's observed/expected matches the pre-onset baseline within
 * one band width". Pure: the simulator's values and the recommended
 * playbooks come in as DemoEvidence (cli/demo-evidence.ts gathers them).
 *
 * Headline: `expected` passes when |expected - counterfactual| <= band width
 * (band[1] - band[0]), the counterfactual being the simulator's value of the
 * headline series at the headline's t with no injected effect (same noise);
 * `observed` passes when it equals the simulated value there (float rounding).
 * Playbook: an incident is deploy-caused when an injected event it covers
 * (demo-summary.ts) was caused by a deploy; it passes when the playbook
 * recommended for it is a rollback (remediate isRollback).
 */
import type { Incident } from '../domain/index.js';

/** One series at one sample as simulated and without injected effects (the simulator's SimulatedValue). */
export interface SeriesTruth {
  readonly actual: number;
  readonly counterfactual: number;
}

export interface RecommendedPlaybook {
  readonly name: string;
  readonly rollback: boolean;
}

/** What the checks read besides the incidents. */
export interface DemoEvidence {
  /** null: the simulator has no sample of that series at t. */
  truthAt(seriesKey: string, t: number): SeriesTruth | null;
  /** null: no playbook recommended (none matches, or remediation is off). */
  playbookOf(incidentId: string): RecommendedPlaybook | null;
}

export interface HeadlineCheck {
  readonly incident: string;
  readonly seriesKey: string;
  readonly t: string;
  readonly observed: number;
  readonly expected: number;
  readonly bandWidth: number;
  /** The simulated value at t; null when the simulator has none (then both checks fail). */
  readonly actual: number | null;
  readonly counterfactual: number | null;
  readonly expectedWithinBand: boolean;
  readonly observedIsActual: boolean;
}

export interface RollbackCheck {
  readonly incident: string;
  readonly service: string;
  /** The deploys behind the injected events the incident covers. */
  readonly causedBy: readonly string[];
  readonly suspect: string | null;
  readonly playbook: string | null;
  readonly rollback: boolean;
}

export interface DemoChecks {
  readonly headlines: {
    readonly withinBand: number;
    readonly observedIsActual: number;
    readonly total: number;
    readonly checks: readonly HeadlineCheck[];
  };
  readonly rollbacks: {
    readonly recommending: number;
    readonly total: number;
    readonly checks: readonly RollbackCheck[];
  };
}

/** Equal up to float rounding (relative 1e-9): a value that went through the store and back may not be bit-identical. */
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export function checkHeadline(i: Incident, truth: SeriesTruth | null): HeadlineCheck {
  const h = i.headline;
  const bandWidth = h.band[1] - h.band[0];
  const off = truth === null ? null : Math.abs(h.expected - truth.counterfactual);
  return {
    incident: i.id,
    seriesKey: h.seriesKey,
    t: new Date(h.t).toISOString(),
    observed: h.observed,
    expected: h.expected,
    bandWidth,
    actual: truth?.actual ?? null,
    counterfactual: truth?.counterfactual ?? null,
    // Rounding tolerance on the boundary too: a band width of 0 asks for equality up to rounding.
    expectedWithinBand: off !== null && (off <= bandWidth || same(off, bandWidth)),
    observedIsActual: truth !== null && same(h.observed, truth.actual),
  };
}

export function checkRollback(
  i: Incident,
  causedBy: readonly string[],
  playbook: RecommendedPlaybook | null,
): RollbackCheck {
  return {
    incident: i.id,
    service: i.service,
    causedBy,
    suspect: i.suspect?.deploymentId ?? null,
    playbook: playbook?.name ?? null,
    rollback: playbook?.rollback ?? false,
  };
}

export function demoChecks(headlines: readonly HeadlineCheck[], rollbacks: readonly RollbackCheck[]): DemoChecks {
  return {
    headlines: {
      withinBand: headlines.filter((c) => c.expectedWithinBand).length,
      observedIsActual: headlines.filter((c) => c.observedIsActual).length,
      total: headlines.length,
      checks: headlines,
    },
    rollbacks: {
      recommending: rollbacks.filter((c) => c.rollback).length,
      total: rollbacks.length,
      checks: rollbacks,
    },
  };
}

const num = (v: number | null) => (v === null ? 'none' : String(Number(v.toPrecision(6))));

/** Why a headline fails, in the numbers a person can check. */
function headlineFailure(x: HeadlineCheck): string {
  const numbers =
    `${x.incident} ${x.seriesKey} at ${x.t.slice(0, 16).replace('T', ' ')}: observed ${num(x.observed)} ` +
    `(simulated ${num(x.actual)}), expected ${num(x.expected)}, counterfactual ${num(x.counterfactual)}, ` +
    `band width ${num(x.bandWidth)}`;
  if (x.counterfactual === null) return `${numbers}: no simulated sample at that time`;
  const off = Math.abs(x.expected - x.counterfactual);
  const why = [
    `expected is ${num(off)} from the counterfactual (${x.bandWidth > 0 ? (off / x.bandWidth).toFixed(2) : 'inf'} band widths)`,
    ...(x.actual === x.counterfactual ? ['nothing injected moves the series at that time'] : []),
    ...(x.observedIsActual ? [] : ['observed is not the simulated value']),
  ];
  return `${numbers}: ${why.join('; ')}`;
}

/** The summary's lines for people: the two counts, then every incident failing a check with its numbers. */
export function checkLines(c: DemoChecks): string[] {
  const h = c.headlines;
  const r = c.rollbacks;
  return [
    "The posts against the simulator's ground truth:",
    `  headlines within one band width of the baseline: ${h.withinBand} of ${h.total} ` +
      `(expected vs the series' value at the headline's time with no injected effect); ` +
      `observed equals the simulated value in ${h.observedIsActual} of ${h.total}`,
    ...h.checks.filter((x) => !x.expectedWithinBand || !x.observedIsActual).map((x) => `    ✘ ${headlineFailure(x)}`),
    `  deploy-caused incidents recommending a rollback: ${r.recommending} of ${r.total} ` +
      `(the playbook recommended for each as it stands at the end of the run)`,
    ...r.checks
      .filter((x) => !x.rollback)
      .map(
        (x) =>
          `    ✘ ${x.incident} ${x.service} (caused by ${x.causedBy.join(', ')}; suspect ${x.suspect ?? 'none'}): ` +
          (x.playbook ? `recommends ${x.playbook}, not a rollback` : 'no playbook recommended'),
      ),
  ];
}
