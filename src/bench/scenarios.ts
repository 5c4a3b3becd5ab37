/**
 * Scores labelled simulator scenarios (the demo's ground truth) for
 * `vigil bench scenarios`: incident recall and precision, top-1 attribution
 * accuracy, false blame and detection delay. Pure: the caller runs the
 * pipeline and hands over one DemoSummary per seed.
 *
 * Definitions (docs/benchmarks.md):
 *   recall        injected events an incident covers / injected events
 *   precision     incidents that cover an injected event / incidents
 *   top-1         deploy-caused events detected whose incident names the
 *                 causing deploy as suspect / deploy-caused events detected
 *   false blame   incidents with no deploy behind them (unrelated events and
 *                 incidents matching nothing) that name a suspect / such incidents
 *   delay         samples from onset to the incident opening, median over detected events
 *   duplicates    incidents that cover an injected event an earlier incident
 *                 already covers: pages beyond the first for one event
 *                 (precision counts them as matched, so it cannot see them)
 *   inherited     detected events whose covering incident was opened for
 *                 another event (still open when this one began): counted
 *                 in recall, but nobody was paged for them. The simulator
 *                 labels a dependency degradation on the database and on
 *                 the caller it reaches; co-onset grouping covers both with
 *                 one incident, so one of the two is inherited by design
 *
 * An incident covers an event of any service it lists (`services`: its key,
 * a linked group's or a co-onset group's members), as the independent
 * scenarios' scorer counts (demo-summary.ts).
 */
import type { DemoSummary } from './demo-summary.js';

export interface ScenarioReport {
  readonly seeds: number;
  readonly injected: number;
  readonly detected: number;
  readonly recall: number;
  readonly incidents: number;
  readonly matched: number;
  readonly precision: number;
  readonly causedDetected: number;
  readonly top1: number;
  readonly top1Accuracy: number;
  readonly innocentIncidents: number;
  readonly falseBlamed: number;
  readonly falseBlameRate: number;
  readonly medianDelaySamples: number | null;
  readonly duplicates: number;
  readonly inherited: number;
}

export function scoreScenarios(runs: readonly DemoSummary[]): ScenarioReport {
  let injected = 0,
    detected = 0,
    incidents = 0,
    matched = 0,
    causedDetected = 0,
    top1 = 0,
    innocent = 0,
    blamed = 0,
    duplicates = 0,
    inherited = 0;
  const delays: number[] = [];
  for (const run of runs) {
    const causeOf = new Map(run.injected.map((e) => [e.id, e.causedBy]));
    const matchOf = new Map(run.incidents.map((i) => [i.id, i.matches]));
    for (const e of run.injected) {
      injected++;
      if (!e.detectedBy) continue;
      detected++;
      if (matchOf.get(e.detectedBy) !== e.id) inherited++;
      if (e.delaySteps !== null) delays.push(e.delaySteps);
      if (e.causedBy) {
        causedDetected++;
        if (e.suspected === e.causedBy) top1++;
      }
    }
    const covered = new Set<string>();
    for (const i of run.incidents) {
      incidents++;
      if (i.matches) {
        matched++;
        if (covered.has(i.matches)) duplicates++;
        covered.add(i.matches);
      }
      const innocentIncident = i.matches === null || causeOf.get(i.matches) === null;
      if (innocentIncident) {
        innocent++;
        if (i.suspect) blamed++;
      }
    }
  }
  delays.sort((a, b) => a - b);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
  return {
    seeds: runs.length,
    injected,
    detected,
    recall: ratio(detected, injected),
    incidents,
    matched,
    precision: ratio(matched, incidents),
    causedDetected,
    top1,
    top1Accuracy: ratio(top1, causedDetected),
    innocentIncidents: innocent,
    falseBlamed: blamed,
    falseBlameRate: ratio(blamed, innocent),
    medianDelaySamples: delays.length === 0 ? null : delays[delays.length >> 1]!,
    duplicates,
    inherited,
  };
}
