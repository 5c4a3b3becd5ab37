/**
 * What people do to incidents from Slack (buttons and commands): ack,
 * resolve, silence, "not an anomaly" and its undo, run a playbook.
 * Effects: incident, timeline, silence and feedback rows; one audit entry
 * per action (result ok, refused or error); then the incident's message is
 * re-rendered through `refresh`. Failure modes: unknown ids are answered
 * as refusals (audited), never thrown.
 */
import { randomUUID } from 'node:crypto';
import { formatDuration } from '../../domain/duration.js';
import { deviationOf, type AuditEntry, type Incident } from '../../domain/index.js';
import { wrapError } from '../../domain/errors.js';
import type { Store } from '../../store/types.js';
import type { NotifyEvent } from '../types.js';
import type { PlaybookRunner } from './types.js';

export interface OperationDeps {
  readonly store: Store;
  readonly runner: PlaybookRunner;
  /** Re-renders the incident's Slack message (chat.update); failures are logged by it. */
  readonly refresh: (incidentId: string) => Promise<void>;
  readonly now: () => number;
  /** The playbook recommended for an incident and why (src/remediate), for `/vigil show`; absent when remediation is off. */
  readonly recommend?: (incident: Incident) => Promise<NotifyEvent['playbook']>;
}

export interface Outcome { readonly ok: boolean; readonly text: string }

async function audited(d: OperationDeps, user: string, action: string, target: string, params: AuditEntry['params'], run: () => Promise<Outcome & { refused?: boolean }>): Promise<Outcome> {
  let outcome: Outcome & { refused?: boolean };
  try {
    outcome = await run();
  } catch (err) {
    const e = wrapError(err);
    await d.store.appendAudit({ at: d.now(), actor: `slack:${user}`, action, target, params, result: 'error', detail: e.message });
    return { ok: false, text: `Could not ${action.replace(/^\w+\./, '')} ${target}: ${e.message}` };
  }
  const result = outcome.ok ? 'ok' : 'refused';
  await d.store.appendAudit({ at: d.now(), actor: `slack:${user}`, action, target, params, result, detail: outcome.text });
  return { ok: outcome.ok, text: outcome.text };
}

const missing = (id: string): Outcome => ({ ok: false, text: `No incident \`${id}\`. Try \`/vigil incidents\`.` });

export function ack(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'incident.ack', incidentId, {}, async () => {
    const i = await d.store.getIncident(incidentId);
    if (!i) return missing(incidentId);
    if (i.acknowledged) return { ok: true, text: `Already acknowledged by <@${i.acknowledged.by}>.` };
    const at = d.now();
    await d.store.updateIncident({ ...i, acknowledged: { by: user, at } });
    await d.store.appendTimeline(i.id, { at, kind: 'ack', text: `acknowledged by <@${user}>` });
    await d.refresh(i.id);
    return { ok: true, text: `Acknowledged \`${i.id}\`.` };
  });
}

export function resolve(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'incident.resolve', incidentId, {}, async () => {
    const i = await d.store.getIncident(incidentId);
    if (!i) return missing(incidentId);
    if (i.status === 'resolved') return { ok: true, text: `\`${i.id}\` is resolved already.` };
    const at = Math.max(d.now(), i.lastAnomalyAt);
    await d.store.updateIncident({ ...i, status: 'resolved', resolvedAt: at });
    await d.store.appendTimeline(i.id, { at, kind: 'resolved', text: `resolved by <@${user}>` });
    await d.refresh(i.id);
    return { ok: true, text: `Resolved \`${i.id}\`.` };
  });
}

export function silence(d: OperationDeps, target: { kind: 'service' | 'series'; value: string }, durationMs: number, reason: string | null, user: string, incidentId?: string): Promise<Outcome> {
  return audited(d, user, 'silence.add', `${target.kind}:${target.value}`, { durationMs, reason }, async () => {
    const at = d.now();
    const id = `sil_${randomUUID().slice(0, 8)}`;
    await d.store.addSilence({ id, target, until: at + durationMs, reason, createdBy: user, createdAt: at });
    if (incidentId) {
      await d.store.appendTimeline(incidentId, { at, kind: 'note', text: `${target.kind} ${target.value} silenced for ${formatDuration(durationMs)} by <@${user}>` });
      await d.refresh(incidentId);
    }
    return { ok: true, text: `Silenced ${target.kind} \`${target.value}\` for ${formatDuration(durationMs)} (until ${new Date(at + durationMs).toISOString().slice(0, 16).replace('T', ' ')} UTC), id \`${id}\`. \`/vigil unsilence ${id}\` lifts it.` };
  });
}

export function unsilence(d: OperationDeps, silenceId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'silence.remove', silenceId, {}, async () =>
    (await d.store.removeSilence(silenceId)) ? { ok: true, text: `Silence \`${silenceId}\` lifted.` } : { ok: false, text: `No silence \`${silenceId}\`.` });
}

/** Records that the incident's headline pattern is normal for its series (src/stages/feedback.ts applies it). */
export function notAnomaly(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'feedback.not_anomaly', incidentId, {}, async () => {
    const i = await d.store.getIncident(incidentId);
    if (!i) return missing(incidentId);
    const h = i.headline;
    const existing = (await d.store.listFeedback({ seriesKey: h.seriesKey })).find((f) => f.incidentId === i.id);
    if (existing) return { ok: true, text: `Feedback \`${existing.id}\` is recorded already.` };
    const at = d.now();
    const id = `fb_${randomUUID().slice(0, 8)}`;
    const dev = deviationOf(h);
    await d.store.addFeedback({ id, seriesKey: h.seriesKey, kind: h.kind, deviation: dev, incidentId: i.id, createdBy: user, createdAt: at, revokedAt: null, revokedBy: null });
    await d.store.appendTimeline(i.id, { at, kind: 'note', text: `marked "not an anomaly" by <@${user}>: ${h.kind.replace('_', ' ')}s on this series up to ${dev.toFixed(1)} band widths are ignored from now (feedback ${id})` });
    await d.refresh(i.id);
    return { ok: true, text: `Noted: ${h.kind.replace('_', ' ')}s of this size on \`${h.seriesKey}\` will no longer alert. Undo with \`/vigil unfeedback ${id}\`.` };
  });
}

export function unfeedback(d: OperationDeps, feedbackId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'feedback.revoke', feedbackId, {}, async () => {
    const f = (await d.store.listFeedback({ includeRevoked: true })).find((x) => x.id === feedbackId);
    if (!f) return { ok: false, text: `No feedback \`${feedbackId}\`.` };
    if (!(await d.store.revokeFeedback(feedbackId, user, d.now()))) return { ok: true, text: `Feedback \`${feedbackId}\` was revoked already.` };
    if (f.incidentId) {
      await d.store.appendTimeline(f.incidentId, { at: d.now(), kind: 'note', text: `"not an anomaly" taken back by <@${user}> (feedback ${feedbackId})` });
      await d.refresh(f.incidentId);
    }
    return { ok: true, text: `Feedback \`${feedbackId}\` revoked: \`${f.seriesKey}\` alerts on such ${f.kind.replace('_', ' ')}s again.` };
  });
}

export function runPlaybook(d: OperationDeps, playbook: string, incidentId: string | null, user: string): Promise<Outcome> {
  return audited(d, user, 'playbook.request', incidentId ?? '(latest open)', { playbook }, async () => {
    const i = incidentId ? await d.store.getIncident(incidentId) : (await d.store.listIncidents({ status: 'open', limit: 1 }))[0] ?? null;
    if (!i) return incidentId ? missing(incidentId) : { ok: false, text: 'No open incident to run a playbook for; name one: `/vigil run <playbook> <incident>`.' };
    const requested = await d.runner.requestRun(i.id, playbook, user);
    const text = typeof requested === 'string' ? requested : requested.text;
    await d.store.appendTimeline(i.id, { at: d.now(), kind: 'action', text: `playbook ${playbook} requested by <@${user}>: ${text}` });
    await d.refresh(i.id);
    return { ok: true, text };
  });
}
