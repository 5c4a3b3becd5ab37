/**
 * When suspects are ranked again, and the stored result. Ranking is not
 * done once at opening: the evidence (the incident's own points, other
 * services' anomalies around onset) keeps arriving for a while after it.
 * Effects (rerank only): updateIncident, and a 'suspect' timeline entry
 * when the top suspect changed or the incident had never been ranked. The
 * caller holds the incident's lock and tells people (it queues the
 * notifications); the choosing functions only read.
 */
import type { Anomaly, Incident } from '../../domain/index.js';
import type { IncidentStore } from '../../store/types.js';
import { attributeIncident, type AttributeDeps } from './attribute.js';

export interface RerankDeps extends AttributeDeps {
  readonly store: AttributeDeps['store'] & IncidentStore;
  /** How long after onset an incident's evidence is still growing (ms): the deploy verdict window. */
  readonly verdictWindow: number;
}

/**
 * After a batch of group `key` reached data time `now`: the incidents it
 * changed (`changed`, in order), and the group's open incident while its
 * evidence is still growing (until one verdict window after onset).
 */
export async function incidentsToRank(
  key: string,
  now: number,
  changed: readonly string[],
  deps: RerankDeps,
): Promise<string[]> {
  const ids = new Set(changed);
  const open = (await deps.store.listIncidents({ service: key, status: 'open', limit: 1 }))[0];
  if (open && now - open.openedAt <= deps.verdictWindow) ids.add(open.id);
  return [...ids];
}

/**
 * Another group's anomalies can be the evidence of a shared cause for an
 * incident that opened near them (attribution reads other services'
 * anomalies around onset), and sources deliver services in no set order: a
 * batch of the database's points may arrive after checkout's incident was
 * ranked. So the incidents of groups other than `groups` opened within a
 * verdict window of `found` are ranked again (attribution itself decides
 * which anomalies are near enough to count), each at `now` or at its own
 * last anomaly, whichever is later: its own batches may have read further
 * than this one, and it is never ranked on less data than before.
 */
export async function neighboursToRerank(
  found: readonly Anomaly[],
  groups: ReadonlySet<string>,
  now: number,
  deps: RerankDeps,
): Promise<{ incident: Incident; at: number }[]> {
  let [from, to] = [Infinity, -Infinity];
  for (const a of found) [from, to] = [Math.min(from, a.t), Math.max(to, a.t)];
  const w = deps.verdictWindow;
  // Only incidents with candidate deploys: a shared cause competes with deploys and changes nothing else.
  const near = (await deps.store.listIncidents({ limit: 50 })).filter(
    (i) => !groups.has(i.service) && (i.suspects?.length ?? 0) > 0 && i.openedAt >= from - w && i.openedAt <= to + w,
  );
  return near.map((incident) => ({ incident, at: Math.max(now, incident.lastAnomalyAt) }));
}

/**
 * A deploy's verdict is evidence about the incidents that have its deploy
 * among their candidates (rank.ts reads it), and it is decided one window
 * after the rollout, often after those incidents were last ranked: a
 * backtest's hour-long batch, or an incident past its own ranking window.
 * So those incidents are ranked again when it arrives, each at `now` or at
 * its own last anomaly, whichever is later.
 */
export async function verdictToRerank(
  deploymentId: string,
  now: number,
  deps: RerankDeps,
): Promise<{ incident: Incident; at: number }[]> {
  const concerned = (await deps.store.listIncidents({ limit: 50 })).filter((i) =>
    (i.suspects ?? []).some((s) => s.deploymentId === deploymentId),
  );
  return concerned.map((incident) => ({ incident, at: Math.max(now, incident.lastAnomalyAt) }));
}

/** Ranks suspects for these incidents again at data time `now` and stores them; returns the incidents whose ranking changed, in order. */
export async function rerank(ids: readonly string[], now: number, deps: RerankDeps): Promise<Incident[]> {
  const changed: Incident[] = [];
  for (const id of ids) {
    const current = await deps.store.getIncident(id);
    if (!current) continue;
    const next = await attributeIncident(current, now, deps);
    if (!next) continue;
    await deps.store.updateIncident(next);
    if (next.suspect?.deploymentId !== current.suspect?.deploymentId || current.attribution === undefined) {
      await deps.store.appendTimeline(next.id, {
        at: Math.min(now, next.resolvedAt ?? now),
        kind: 'suspect',
        text: next.attribution ?? '',
        data: { deploymentId: next.suspect?.deploymentId ?? null },
      });
    }
    changed.push(next);
  }
  return changed;
}
