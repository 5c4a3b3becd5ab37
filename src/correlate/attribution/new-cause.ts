/**
 * Whether anomalies that followed an open incident have a cause of their
 * own: a deploy that started after the incident was confirmed and that
 * attribution (rank.ts) names as the confident suspect of those anomalies
 * alone. Deploys from before confirmation are the open incident's business
 * and do not compete: its deviation is what they already explain. Reads
 * only. Used by the incident lifecycle to open a new incident for a new bad
 * change instead of folding it silently into the old one; and, for
 * co-onset grouping, whether an incident about to open has a deploy of its
 * own (ownChangeCause).
 */
import { isWorse } from '../../domain/direction.js';
import type { Anomaly, Deployment, Incident } from '../../domain/index.js';
import { attributeIncident, relatedServices, type AttributeDeps } from './attribute.js';
import { shiftAt } from './shift.js';

/**
 * The new change and the reason, or null. `fresh` may span a long batch
 * (backfill, replay): each deploy made meanwhile is asked about the
 * anomalies from its start on, earliest first; `since` is where the new
 * incident's anomalies begin (the blamed deploy's start).
 */
export async function newChangeCause(
  open: Incident,
  fresh: readonly Anomaly[],
  now: number,
  deps: AttributeDeps,
): Promise<{ since: number; reason: string } | null> {
  const last = fresh[fresh.length - 1];
  if (!last) return null;
  const confirmedAt = open.detectedAt ?? open.openedAt;
  const known = new Set((open.suspects ?? []).map((s) => s.deploymentId));
  const made: Deployment[] = [];
  for (const service of relatedServices(open.services ?? [open.service], deps.links))
    made.push(...(await deps.store.listDeployments({ service, since: confirmedAt + 1, until: last.t + 1 })));
  const candidates = made.filter((d) => !known.has(d.id)).sort((a, b) => a.startedAt - b.startedAt);
  for (const d of candidates) {
    const after = fresh.filter((a) => a.t >= d.startedAt);
    const first = after[0];
    if (!first) break;
    const isNew = (x: Deployment) => candidates.some((c) => c.id === x.id) && x.startedAt <= first.t;
    // The anomalies from this deploy on as an incident of their own: their series, their onset.
    const probe: Incident = {
      ...open,
      seriesKeys: [...new Set(after.map((a) => a.seriesKey))].sort(),
      openedAt: first.t,
      detectedAt: last.t,
      suspect: null,
      suspects: [],
      attribution: undefined,
    };
    const ranked = await attributeIncident(probe, now, deps, isNew);
    const blamed = candidates.find((c) => c.id === ranked?.suspect?.deploymentId);
    if (!ranked || !blamed) continue;
    if (await steppedAt(after, blamed.startedAt, open.openedAt, now, deps))
      return { since: blamed.startedAt, reason: ranked.attribution ?? '' };
  }
  return null;
}

/**
 * Whether a deploy of `draft`'s own services explains it (an incident
 * about to open) by itself: the top suspect's reason (its id when the
 * ranking gave none), or null. Co-onset grouping asks this before a service
 * joins another's incident (src/incidents/co-onset.ts).
 */
export async function ownChangeCause(draft: Incident, now: number, deps: AttributeDeps): Promise<string | null> {
  const ranked = await attributeIncident(draft, now, deps);
  return ranked?.suspect ? (ranked.attribution ?? ranked.suspect.deploymentId) : null;
}

/**
 * The deploy's own step, measured against the state the open incident had
 * left the series in: some fresh series got worse from just before the
 * deploy (no further back than the incident's onset) to just after it
 * (U-test, p < 0.01), and was not already getting worse before it (a leak or
 * a growing backlog shows a before/after shift at any deploy made
 * meanwhile: the two halves of the half hour before it are compared).
 */
async function steppedAt(
  fresh: readonly Anomaly[],
  at: number,
  incidentOnset: number,
  now: number,
  deps: AttributeDeps,
): Promise<boolean> {
  const half = 15 * (deps.minuteMs ?? 60_000);
  for (const key of new Set(fresh.map((a) => a.seriesKey))) {
    const metric = fresh.find((a) => a.seriesKey === key)!.metric;
    const points = await deps.store.listPoints(key, { from: at - 2 * half, to: now + 1 });
    const since = points.filter((p) => p.t >= incidentOnset);
    const step = shiftAt(since, at, { window: 2 * half });
    if (!step.sufficient || step.p >= 0.01 || !isWorse(metric, step.effect)) continue;
    const trend = shiftAt(
      since.filter((p) => p.t < at),
      at - half,
      { window: half },
    );
    if (trend.sufficient && trend.p < 0.01 && isWorse(metric, trend.effect)) continue;
    return true;
  }
  return false;
}
