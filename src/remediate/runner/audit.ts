/**
 * One helper for the runner's audit trail and the incident timeline.
 * Effects: appendAudit (always) and appendTimeline (when `timeline` is set).
 * Failure modes: store errors reject; the caller decides (audit is not optional).
 */
import type { AuditEntry } from '../../domain/index.js';
import type { RunPlan } from '../types.js';
import type { RemediationDeps } from './deps.js';

export async function audit(
  deps: RemediationDeps,
  plan: RunPlan,
  entry: {
    actor: string;
    action: string;
    result: AuditEntry['result'];
    detail: string;
    params?: Record<string, unknown>;
  },
  timeline = true,
): Promise<void> {
  const at = (deps.now ?? Date.now)();
  await deps.store.appendAudit({
    at,
    actor: entry.actor,
    action: entry.action,
    target: plan.service,
    result: entry.result,
    detail: entry.detail,
    params: { runId: plan.runId, incidentId: plan.incidentId, playbook: plan.playbook, ...entry.params },
  });
  if (timeline) {
    await deps.store.appendTimeline(plan.incidentId, {
      at,
      kind: 'action',
      text: `${plan.playbook}: ${entry.detail}`,
      data: { runId: plan.runId, action: entry.action, result: entry.result },
    });
  }
}

/**
 * The audit actor of a person, written one way everywhere: `slack:<user id>`
 * (people approve, reject and request runs from Slack; an id that already
 * names its system, e.g. `cli:alice`, is kept). Vigil itself is `vigil`,
 * policy approvals `policy:auto`.
 */
export function personActor(id: string): string {
  return id.includes(':') ? id : `slack:${id}`;
}

/** A person in text shown in Slack (timeline, replies): a mention, not a raw id. */
export function mention(id: string): string {
  return id.includes(':') ? id : `<@${id}>`;
}

export async function emit(
  deps: RemediationDeps,
  event: Parameters<NonNullable<RemediationDeps['onEvent']>>[0],
): Promise<void> {
  try {
    await deps.onEvent?.(event);
  } catch {
    /* a listener failing never stops a run */
  }
}
