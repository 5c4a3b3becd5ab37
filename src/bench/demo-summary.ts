/**
 * Matches the demo's incidents against the simulator's ground truth, so the
 * summary says which injected regressions were caught, how fast, which
 * incidents match nothing injected, and how its posts hold up against the
 * truth (demo-checks.ts). Pure.
 */
import type { Incident } from '../domain/index.js';
import type { Scenario } from '../sources/simulator/index.js';
import { checkHeadline, checkRollback, demoChecks, type DemoChecks, type DemoEvidence } from './demo-checks.js';

export interface InjectedResult {
  readonly id: string;
  readonly service: string;
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly causedBy: string | null;
  /** The incident that covers it, or null when missed. */
  readonly detectedBy: string | null;
  /** Samples from onset to the incident's confirmation (0 when it was already open). */
  readonly delaySteps: number | null;
  /** The deploy the detecting incident suspects (null: "no deploy suspected" or missed). */
  readonly suspected: string | null;
}

export interface DemoSummary {
  readonly incidents: Array<{
    id: string;
    service: string;
    severity: string;
    status: string;
    openedAt: string;
    resolvedAt: string | null;
    metrics: string[];
    anomalies: number;
    headline: string;
    score: number;
    matches: string | null;
    suspect: { deploymentId: string; confidence: number; reason: string } | null;
    attribution: string | null;
  }>;
  readonly injected: InjectedResult[];
  /** The posts checked against the ground truth (demo-checks.ts). */
  readonly checks: DemoChecks;
  readonly anomalies: number;
  readonly points: number;
  readonly seconds: number;
}

/** An incident is active over [openedAt, resolvedAt): one resolved at an event's first sample does not cover it. */
const overlaps = (i: Incident, start: number, end: number, horizon: number) =>
  i.openedAt < end && (i.resolvedAt ?? Math.max(horizon, end)) > start;

/** An incident covers a service it lists (its key, a linked or co-onset group's members), as `../shared/scenarios`' scorer counts. */
const feltBy = (i: Incident, service: string) => (i.services ?? [i.service]).includes(service);

export function summarise(
  scenario: Scenario,
  incidents: readonly Incident[],
  counts: { anomalies: number; points: number; seconds: number },
  horizon: number,
  evidence: DemoEvidence,
): DemoSummary {
  const injected: InjectedResult[] = scenario.incidents.map((e) => {
    const hit = incidents
      .filter((i) => feltBy(i, e.service) && overlaps(i, e.start, e.end, horizon))
      .sort((a, b) => a.openedAt - b.openedAt)[0];
    return {
      id: e.id,
      service: e.service,
      kind: e.kind,
      start: e.start,
      end: e.end,
      causedBy: e.causedBy,
      detectedBy: hit?.id ?? null,
      delaySteps: hit ? Math.max(0, Math.round(((hit.detectedAt ?? hit.openedAt) - e.start) / scenario.stepMs)) : null,
      suspected: hit?.suspect?.deploymentId ?? null,
    };
  });
  const covered = (i: Incident) =>
    scenario.incidents.filter((e) => feltBy(i, e.service) && overlaps(i, e.start, e.end, horizon));
  const sorted = [...incidents].sort((a, b) => a.openedAt - b.openedAt);
  const rollbacks = sorted.flatMap((i) => {
    const deploys = [...new Set(covered(i).flatMap((e) => (e.causedBy === null ? [] : [e.causedBy])))];
    return deploys.length === 0 ? [] : [checkRollback(i, deploys, evidence.playbookOf(i.id))];
  });
  return {
    incidents: sorted.map((i) => ({
      id: i.id,
      service: i.service,
      severity: i.severity,
      status: i.status,
      openedAt: new Date(i.openedAt).toISOString(),
      resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(),
      metrics: [...new Set(i.seriesKeys.map((k) => k.replace(/^[^:]*:([^{]*).*$/, '$1')))],
      anomalies: i.anomalyCount,
      headline: `${i.headline.metric} ${i.headline.kind}`,
      score: Number(i.headline.score.toFixed(4)),
      matches: covered(i)[0]?.id ?? null,
      suspect: i.suspect
        ? { deploymentId: i.suspect.deploymentId, confidence: i.suspect.confidence, reason: i.suspect.reason }
        : null,
      attribution: i.attribution ?? null,
    })),
    injected,
    checks: demoChecks(
      sorted.map((i) => checkHeadline(i, evidence.truthAt(i.headline.seriesKey, i.headline.t))),
      rollbacks,
    ),
    ...counts,
  };
}
