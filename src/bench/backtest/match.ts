/**
 * The deploy-attribution scenarios' matching rule (../shared/scenarios/README.md,
 * the same as its score.mjs and the hidden-set scorer). Pure.
 *
 * Truth events are taken in order; an event is matched by the first incident,
 * in the given order, that has not matched yet, lists the event's service, and
 * opened no earlier than 5 min before the event's start and no later than
 * min(end, start + 30 min). From the matches:
 *   recall      matched events / events
 *   precision   matched incidents / max(1, incidents)
 *   attribution deploy-caused events whose incident's suspect is the cause / deploy-caused events
 *   false blame unrelated events whose incident names any suspect / unrelated events
 *   delay       openedAt - start in minutes; the median is the sorted list's
 *               element at floor(n/2), as score.mjs takes it
 */
export interface TruthEvent {
  readonly service: string;
  /** epoch ms */
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  /** causing deploy id, or null when no deploy caused it */
  readonly cause: string | null;
}

/** The fields of a `vigil backtest` incident the rule reads. */
export interface MatchableIncident {
  readonly services: readonly string[];
  /** ISO-8601 */
  readonly openedAt: string;
  readonly suspect: { readonly deploymentId: string } | null;
}

export interface KindCounts {
  events: number;
  found: number;
  caused: number;
  attributed: number;
  innocent: number;
  blamed: number;
}

export interface ScenarioCounts {
  readonly truth: number;
  readonly predicted: number;
  readonly tp: number;
  readonly fp: number;
  readonly caused: number;
  readonly attributed: number;
  readonly innocent: number;
  readonly blamed: number;
  /** minutes from start to the matching incident's opening, per matched event, in truth order */
  readonly delays: readonly number[];
  readonly byKind: Readonly<Record<string, KindCounts>>;
}

const MIN = 60_000;

export function matchScenario(truth: readonly TruthEvent[], incidents: readonly MatchableIncident[]): ScenarioCounts {
  const opened = incidents.map((i) => Date.parse(i.openedAt));
  const used = new Set<number>();
  const byKind: Record<string, KindCounts> = {};
  const delays: number[] = [];
  let tp = 0,
    caused = 0,
    attributed = 0,
    innocent = 0,
    blamed = 0;
  for (const g of truth) {
    const k = (byKind[g.kind] ??= { events: 0, found: 0, caused: 0, attributed: 0, innocent: 0, blamed: 0 });
    k.events++;
    if (g.cause) {
      caused++;
      k.caused++;
    } else {
      innocent++;
      k.innocent++;
    }
    const latest = Math.min(g.end, g.start + 30 * MIN);
    const i = incidents.findIndex(
      (x, n) =>
        !used.has(n) &&
        x.services.includes(g.service) &&
        (opened[n] as number) >= g.start - 5 * MIN &&
        (opened[n] as number) <= latest,
    );
    if (i < 0) continue;
    used.add(i);
    tp++;
    k.found++;
    delays.push(((opened[i] as number) - g.start) / MIN);
    const suspect = incidents[i]?.suspect?.deploymentId ?? null;
    if (g.cause && suspect === g.cause) {
      attributed++;
      k.attributed++;
    }
    if (!g.cause && suspect) {
      blamed++;
      k.blamed++;
    }
  }
  return {
    truth: truth.length,
    predicted: incidents.length,
    tp,
    fp: incidents.length - used.size,
    caused,
    attributed,
    innocent,
    blamed,
    delays,
    byKind,
  };
}

export interface ScenarioSummary {
  readonly scenarios: number;
  readonly recall: number | null;
  readonly precision: number | null;
  readonly attribution: number | null;
  readonly falseBlame: number | null;
  readonly medianDelayMin: number | null;
  readonly totals: Omit<ScenarioCounts, 'delays' | 'byKind'>;
  readonly byKind: Readonly<Record<string, KindCounts>>;
}

/** score.mjs's median: the element at floor(n/2) of the sorted list. */
export function upperMedian(xs: readonly number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : (s[s.length >> 1] as number);
}

/** Totals over scenarios (as score.mjs --sum), with the median delay over all matched events. */
export function summarise(runs: readonly ScenarioCounts[]): ScenarioSummary {
  const sum = (f: (r: ScenarioCounts) => number): number => runs.reduce((n, r) => n + f(r), 0);
  const totals = {
    truth: sum((r) => r.truth),
    predicted: sum((r) => r.predicted),
    tp: sum((r) => r.tp),
    fp: sum((r) => r.fp),
    caused: sum((r) => r.caused),
    attributed: sum((r) => r.attributed),
    innocent: sum((r) => r.innocent),
    blamed: sum((r) => r.blamed),
  };
  const byKind: Record<string, KindCounts> = {};
  for (const r of runs) {
    for (const [kind, c] of Object.entries(r.byKind)) {
      const t = (byKind[kind] ??= { events: 0, found: 0, caused: 0, attributed: 0, innocent: 0, blamed: 0 });
      for (const f of Object.keys(t) as (keyof KindCounts)[]) t[f] += c[f];
    }
  }
  const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
  return {
    scenarios: runs.length,
    recall: ratio(totals.tp, totals.truth),
    precision: runs.length === 0 ? null : totals.tp / Math.max(1, totals.predicted),
    attribution: ratio(totals.attributed, totals.caused),
    falseBlame: ratio(totals.blamed, totals.innocent),
    medianDelayMin: upperMedian(runs.flatMap((r) => r.delays)),
    totals,
    byKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => a.localeCompare(b))),
  };
}
