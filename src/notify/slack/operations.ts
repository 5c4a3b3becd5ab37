/**
 * What people do to incidents from Slack (buttons and commands): ack,
 * resolve, silence, "not an anomaly" and its undo, run a playbook. The
 * incident operations themselves are src/incidents/operations.ts; this file
 * words their results for Slack. Effects: those operations' rows; one audit
 * entry per action (result ok, refused or error); then the incident's
 * message is re-rendered through `refresh`. Failure modes: unknown ids are answered
 * as refusals (audited), never thrown.
 */
import { formatDuration } from '../../domain/duration.js';
import type { AuditEntry, Incident } from '../../domain/index.js';
import { wrapError } from '../../domain/errors.js';
import {
  acknowledge,
  markNotAnomaly,
  resolveIncident,
  revokeFeedback,
  silence as addSilence,
  unsilence as liftSilence,
  type Person,
} from '../../incidents/index.js';
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

export interface Outcome {
  readonly ok: boolean;
  readonly text: string;
}

async function audited(
  d: OperationDeps,
  user: string,
  action: string,
  target: string,
  params: AuditEntry['params'],
  run: () => Promise<Outcome & { refused?: boolean }>,
): Promise<Outcome> {
  const audit = (result: AuditEntry['result'], detail: string) =>
    d.store.appendAudit({ at: d.now(), actor: `slack:${user}`, action, target, params, result, detail });
  let outcome: Outcome & { refused?: boolean };
  try {
    outcome = await run();
  } catch (err) {
    const e = wrapError(err);
    await audit('error', e.message);
    return { ok: false, text: `Could not ${action.replace(/^\w+\./, '')} ${target}: ${e.message}` };
  }
  await audit(outcome.ok ? 'ok' : 'refused', outcome.text);
  return { ok: outcome.ok, text: outcome.text };
}

const missing = (id: string): Outcome => ({ ok: false, text: `No incident \`${id}\`. Try \`/vigil incidents\`.` });
/** A Slack user as incident operations record and name them. */
const person = (user: string): Person => ({ id: user, who: `<@${user}>` });

export function ack(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'incident.ack', incidentId, {}, async () => {
    const r = await acknowledge(d, incidentId, person(user));
    if (r.status === 'missing') return missing(incidentId);
    if (r.status === 'already') return { ok: true, text: `Already acknowledged by <@${r.incident.acknowledged!.by}>.` };
    await d.refresh(r.incident.id);
    return { ok: true, text: `Acknowledged \`${r.incident.id}\`.` };
  });
}

export function resolve(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'incident.resolve', incidentId, {}, async () => {
    const r = await resolveIncident(d, incidentId, `resolved by <@${user}>`);
    if (r.status === 'missing') return missing(incidentId);
    if (r.status === 'already') return { ok: true, text: `\`${r.incident.id}\` is resolved already.` };
    await d.refresh(r.incident.id);
    return { ok: true, text: `Resolved \`${r.incident.id}\`.` };
  });
}

export function silence(
  d: OperationDeps,
  target: { kind: 'service' | 'series'; value: string },
  durationMs: number,
  reason: string | null,
  user: string,
  incidentId?: string,
): Promise<Outcome> {
  return audited(d, user, 'silence.add', `${target.kind}:${target.value}`, { durationMs, reason }, async () => {
    const s = await addSilence(d, target, durationMs, reason, person(user), incidentId);
    if (incidentId) await d.refresh(incidentId);
    return {
      ok: true,
      text: `Silenced ${target.kind} \`${target.value}\` for ${formatDuration(durationMs)} (until ${new Date(s.until).toISOString().slice(0, 16).replace('T', ' ')} UTC), id \`${s.id}\`. \`/vigil unsilence ${s.id}\` lifts it.`,
    };
  });
}

export function unsilence(d: OperationDeps, silenceId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'silence.remove', silenceId, {}, async () =>
    (await liftSilence(d, silenceId))
      ? { ok: true, text: `Silence \`${silenceId}\` lifted.` }
      : { ok: false, text: `No silence \`${silenceId}\`.` },
  );
}

/** Records that the incident's headline pattern is normal for its series (src/incidents/operations.ts). */
export function notAnomaly(d: OperationDeps, incidentId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'feedback.not_anomaly', incidentId, {}, async () => {
    const r = await markNotAnomaly(d, incidentId, person(user));
    if (r.status === 'missing') return missing(incidentId);
    if (r.status === 'already') return { ok: true, text: `Feedback \`${r.feedback.id}\` is recorded already.` };
    const h = r.headline;
    await d.refresh(incidentId);
    return {
      ok: true,
      text: `Noted: ${h.kind.replace('_', ' ')}s of this size on \`${h.seriesKey}\` will no longer alert. Undo with \`/vigil unfeedback ${r.feedback.id}\`.`,
    };
  });
}

export function unfeedback(d: OperationDeps, feedbackId: string, user: string): Promise<Outcome> {
  return audited(d, user, 'feedback.revoke', feedbackId, {}, async () => {
    const r = await revokeFeedback(d, feedbackId, person(user));
    if (r.status === 'missing') return { ok: false, text: `No feedback \`${feedbackId}\`.` };
    if (r.status === 'already') return { ok: true, text: `Feedback \`${feedbackId}\` was revoked already.` };
    const f = r.feedback;
    if (f.incidentId) await d.refresh(f.incidentId);
    return {
      ok: true,
      text: `Feedback \`${feedbackId}\` revoked: \`${f.seriesKey}\` alerts on such ${f.kind.replace('_', ' ')}s again.`,
    };
  });
}

export function runPlaybook(
  d: OperationDeps,
  playbook: string,
  incidentId: string | null,
  user: string,
): Promise<Outcome> {
  return audited(d, user, 'playbook.request', incidentId ?? '(latest open)', { playbook }, async () => {
    const i = incidentId
      ? await d.store.getIncident(incidentId)
      : ((await d.store.listIncidents({ status: 'open', limit: 1 }))[0] ?? null);
    if (!i)
      return incidentId
        ? missing(incidentId)
        : { ok: false, text: 'No open incident to run a playbook for; name one: `/vigil run <playbook> <incident>`.' };
    const requested = await d.runner.requestRun(i.id, playbook, user);
    const text = typeof requested === 'string' ? requested : requested.text;
    await d.store.appendTimeline(i.id, {
      at: d.now(),
      kind: 'action',
      text: `playbook ${playbook} requested by <@${user}>: ${text}`,
    });
    await d.refresh(i.id);
    return { ok: true, text };
  });
}
