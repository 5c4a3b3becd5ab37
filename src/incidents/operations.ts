/**
 * What people and remediation do to an incident, written once: acknowledge,
 * resolve, silence and lift a silence, mark "not an anomaly" and take it
 * back. The Slack adapter and remediation call these; the lifecycle's own
 * resolutions (quiet, superseded) write through `markResolved`.
 * Inputs: `who` names the person as the timeline shows them (the Slack
 * adapter passes a mention); `id` is what rows record as their author.
 * Effects: incident, timeline, silence and feedback rows. Results say what
 * happened (missing, already done, done); wording for people, audit and
 * re-rendering belong to the caller. Failure modes: store errors reject.
 */
import { randomUUID } from 'node:crypto';
import { formatDuration } from '../domain/duration.js';
import { deviationOf, type Headline, type Incident } from '../domain/index.js';
import type { AnomalyFeedback, FeedbackStore, IncidentStore, Silence, SilenceStore } from '../store/types.js';

export interface OperationContext {
  readonly store: Pick<IncidentStore, 'getIncident' | 'updateIncident' | 'appendTimeline'> &
    SilenceStore &
    FeedbackStore;
  readonly now: () => number;
}

/** A person acting on an incident: the id rows record, and how the timeline names them. */
export interface Person {
  readonly id: string;
  readonly who: string;
}

/** Writes `incident` resolved as of `at`, with `why` in its timeline; returns the resolved incident. */
export async function markResolved(
  store: Pick<IncidentStore, 'updateIncident' | 'appendTimeline'>,
  incident: Incident,
  at: number,
  why: string,
): Promise<Incident> {
  const resolved: Incident = { ...incident, status: 'resolved', resolvedAt: at };
  await store.updateIncident(resolved);
  await store.appendTimeline(incident.id, { at, kind: 'resolved', text: why });
  return resolved;
}

/**
 * Resolves an open incident now (never before its last anomaly), with `why`
 * in its timeline: by a person, or after a remediation's verified recovery.
 */
export async function resolveIncident(
  c: {
    readonly store: Pick<IncidentStore, 'getIncident' | 'updateIncident' | 'appendTimeline'>;
    readonly now: () => number;
  },
  incidentId: string,
  why: string,
): Promise<{ status: 'missing' } | { status: 'already'; incident: Incident } | { status: 'done'; incident: Incident }> {
  const i = await c.store.getIncident(incidentId);
  if (!i) return { status: 'missing' };
  if (i.status === 'resolved') return { status: 'already', incident: i };
  return { status: 'done', incident: await markResolved(c.store, i, Math.max(c.now(), i.lastAnomalyAt), why) };
}

export async function acknowledge(
  c: OperationContext,
  incidentId: string,
  by: Person,
): Promise<{ status: 'missing' } | { status: 'already'; incident: Incident } | { status: 'done'; incident: Incident }> {
  const i = await c.store.getIncident(incidentId);
  if (!i) return { status: 'missing' };
  if (i.acknowledged) return { status: 'already', incident: i };
  const at = c.now();
  const acknowledged: Incident = { ...i, acknowledged: { by: by.id, at } };
  await c.store.updateIncident(acknowledged);
  await c.store.appendTimeline(i.id, { at, kind: 'ack', text: `acknowledged by ${by.who}` });
  return { status: 'done', incident: acknowledged };
}

/** Silences a service or a series for `durationMs`; noted in the timeline of `incidentId` when given. */
export async function silence(
  c: OperationContext,
  target: Silence['target'],
  durationMs: number,
  reason: string | null,
  by: Person,
  incidentId?: string,
): Promise<Silence> {
  const at = c.now();
  const s: Silence = {
    id: `sil_${randomUUID().slice(0, 8)}`,
    target,
    until: at + durationMs,
    reason,
    createdBy: by.id,
    createdAt: at,
  };
  await c.store.addSilence(s);
  if (incidentId)
    await c.store.appendTimeline(incidentId, {
      at,
      kind: 'note',
      text: `${target.kind} ${target.value} silenced for ${formatDuration(durationMs)} by ${by.who}`,
    });
  return s;
}

/** True when the silence existed and is lifted. */
export function unsilence(c: OperationContext, silenceId: string): Promise<boolean> {
  return c.store.removeSilence(silenceId);
}

/**
 * Records that the incident's headline pattern is normal for its series
 * (incidents/feedback.ts applies it when scoring): that kind of anomaly, up
 * to the headline's deviation, no longer alerts. Once per incident.
 */
export async function markNotAnomaly(
  c: OperationContext,
  incidentId: string,
  by: Person,
): Promise<
  | { status: 'missing' }
  | { status: 'already'; feedback: AnomalyFeedback }
  | { status: 'done'; feedback: AnomalyFeedback; headline: Headline }
> {
  const i = await c.store.getIncident(incidentId);
  if (!i) return { status: 'missing' };
  const h = i.headline;
  const existing = (await c.store.listFeedback({ seriesKey: h.seriesKey })).find((f) => f.incidentId === i.id);
  if (existing) return { status: 'already', feedback: existing };
  const at = c.now();
  const id = `fb_${randomUUID().slice(0, 8)}`;
  const dev = deviationOf(h);
  const feedback: AnomalyFeedback = {
    id,
    seriesKey: h.seriesKey,
    kind: h.kind,
    deviation: dev,
    incidentId: i.id,
    createdBy: by.id,
    createdAt: at,
    revokedAt: null,
    revokedBy: null,
  };
  await c.store.addFeedback(feedback);
  await c.store.appendTimeline(i.id, {
    at,
    kind: 'note',
    text: `marked "not an anomaly" by ${by.who}: ${h.kind.replace('_', ' ')}s on this series up to ${dev.toFixed(1)} band widths are ignored from now (feedback ${id})`,
  });
  return { status: 'done', feedback, headline: h };
}

/** Takes "not an anomaly" back: the series alerts on that kind of anomaly again. */
export async function revokeFeedback(
  c: OperationContext,
  feedbackId: string,
  by: Person,
): Promise<{ status: 'missing' } | { status: 'already' | 'done'; feedback: AnomalyFeedback }> {
  const f = (await c.store.listFeedback({ includeRevoked: true })).find((x) => x.id === feedbackId);
  if (!f) return { status: 'missing' };
  if (!(await c.store.revokeFeedback(feedbackId, by.id, c.now()))) return { status: 'already', feedback: f };
  if (f.incidentId)
    await c.store.appendTimeline(f.incidentId, {
      at: c.now(),
      kind: 'note',
      text: `"not an anomaly" taken back by ${by.who} (feedback ${feedbackId})`,
    });
  return { status: 'done', feedback: f };
}
