/**
 * The incident lifecycle as stages of one signature, run in order for each
 * service's batch of anomalies. Effects: incident rows and timeline entries.
 * Idempotent: a retried batch finds its anomalies already counted
 * (t <= lastAnomalyAt) and its incident already opened (deterministic id).
 */
import type { Anomaly, Incident } from '../domain/index.js';
import { describeDeviation } from './describe.js';
import { countedUntil, mergeAnomalies, newIncident } from './merge.js';
import { severityRank } from './severity.js';
import type { IncidentBatch, IncidentContext, IncidentEvent, Stage } from './types.js';

async function openIncidentOf(service: string, ctx: IncidentContext): Promise<Incident | null> {
  return (await ctx.store.listIncidents({ service, status: 'open', limit: 1 }))[0] ?? null;
}

/** An open incident absorbs the batch; escalations and new series are timeline events. */
export const updateOpen: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  const open = await openIncidentOf(batch.service, ctx);
  if (!open) return batch;
  const first = batch.anomalies.find((a) => a.t > open.lastAnomalyAt);
  if (first && first.t - open.lastAnomalyAt >= ctx.policy.resolveAfter) {
    // The service went quiet long enough to resolve before these anomalies
    // (e.g. its data arrived late or a source was down): close the old
    // incident first; the next stage opens or re-opens for the new anomalies.
    await resolve(open, open.lastAnomalyAt + ctx.policy.resolveAfter, ctx, emit);
    return batch;
  }
  const merged = mergeAnomalies(open, batch.anomalies);
  if (merged === open) return { ...batch, anomalies: [] };
  await ctx.store.updateIncident(merged);
  const newSeries = merged.seriesKeys.filter((k) => !open.seriesKeys.includes(k));
  for (const key of newSeries) {
    const a = batch.anomalies.find((x) => x.seriesKey === key)!;
    await ctx.store.appendTimeline(merged.id, { at: a.t, kind: 'anomaly', text: describeDeviation(a), data: { seriesKey: key } });
  }
  const escalated = severityRank(merged.severity) > severityRank(open.severity);
  if (escalated) {
    await ctx.store.appendTimeline(merged.id, { at: merged.lastAnomalyAt, kind: 'escalated', text: `severity ${open.severity} -> ${merged.severity}` });
  }
  if (escalated || newSeries.length > 0) emit({ kind: 'updated', incident: merged });
  return { ...batch, anomalies: [] };
};

/**
 * With no open incident, anomalies open one once confirmed: `confirmCount`
 * within `confirmWithin` (counting earlier batches), or one strong enough.
 * A service that resolved within `flapWindow` re-opens its last incident.
 */
export const confirmAndOpen: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  if (batch.anomalies.length === 0) return batch;
  const { policy, store } = ctx;
  const first = batch.anomalies[0]!;
  const last = batch.anomalies[batch.anomalies.length - 1]!;
  const resolved = (await store.listIncidents({ service: batch.service, status: 'resolved', limit: 1 }))[0];
  // Anomalies already counted by the last incident never confirm a new one
  // (per series: another series' anomaly at the same time still counts).
  const recent = (await store.listAnomalies({ service: batch.service, since: first.t - policy.confirmWithin, until: last.t + 1 }))
    .filter((a) => !resolved || a.t > countedUntil(resolved, a.seriesKey));
  const start = confirmingStart(recent, policy.confirmCount, policy.confirmWithin, policy.openAtScore);
  if (!start) return null;

  const later = recent.filter((a) => a.t > start.t);
  if (resolved && resolved.resolvedAt !== null && start.t - resolved.resolvedAt <= policy.flapWindow) {
    const reopened = mergeAnomalies({ ...resolved, status: 'open', resolvedAt: null }, [start, ...later]);
    await store.updateIncident(reopened);
    await store.appendTimeline(reopened.id, { at: start.t, kind: 'reopened', text: `re-opened: ${describeDeviation(start)}` });
    emit({ kind: 'updated', incident: reopened });
    return { ...batch, anomalies: [] };
  }

  const { incident, created } = await store.openOrGetIncident(newIncident(batch.service, start));
  const merged = mergeAnomalies(incident, later);
  if (merged !== incident) await store.updateIncident(merged);
  if (created) {
    await store.appendTimeline(incident.id, { at: start.t, kind: 'opened', text: describeDeviation(start), data: { seriesKey: start.seriesKey } });
    emit({ kind: 'opened', incident: merged });
  }
  return { ...batch, anomalies: [] };
};

/** Finds the first anomaly that starts a confirmed group, or null. `recent` is ascending by t. */
export function confirmingStart(recent: readonly Anomaly[], count: number, within: number, openAtScore: number): Anomaly | null {
  let lo = 0;
  for (let hi = 0; hi < recent.length; hi++) {
    const a = recent[hi]!;
    while (a.t - recent[lo]!.t > within) lo++;
    if (a.score >= openAtScore || hi - lo + 1 >= count) return recent[lo]!;
  }
  return null;
}

/** An open incident with no anomaly for `resolveAfter` (data time) resolves. */
export const resolveQuiet: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  const open = await openIncidentOf(batch.service, ctx);
  if (!open || batch.now - open.lastAnomalyAt < ctx.policy.resolveAfter) return batch;
  await resolve(open, batch.now, ctx, emit);
  return batch;
};

async function resolve(open: Incident, at: number, ctx: IncidentContext, emit: (e: IncidentEvent) => void): Promise<void> {
  const resolved: Incident = { ...open, status: 'resolved', resolvedAt: at };
  await ctx.store.updateIncident(resolved);
  await ctx.store.appendTimeline(open.id, { at, kind: 'resolved', text: `no anomaly since ${new Date(open.lastAnomalyAt).toISOString()}` });
  emit({ kind: 'resolved', incident: resolved });
}

export const DEFAULT_STAGES: readonly Stage<IncidentBatch>[] = [updateOpen, confirmAndOpen, resolveQuiet];

/**
 * Runs the stages for one batch and returns the events to notify. A stage
 * returning null stops the stages before it reaches resolution; resolution
 * is therefore the last stage and always sees the batch when nothing opened.
 */
export async function advance(batch: IncidentBatch, ctx: IncidentContext, stages = DEFAULT_STAGES): Promise<IncidentEvent[]> {
  const events: IncidentEvent[] = [];
  let item: IncidentBatch | null = batch;
  for (const stage of stages) {
    if (item === null) break;
    item = await stage(item, ctx, (e) => events.push(e));
  }
  return events;
}
