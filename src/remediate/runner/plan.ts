/**
 * Builds and stores the dry-run plan of a playbook for an incident: every
 * step's params with placeholders resolved and re-validated (a hostile value
 * from incident data is refused here), and the lines shown to the approver.
 * Effects: createRun (E_REMEDIATION_BUSY when the service has an active
 * run), audit + timeline. Failure modes: E_REMEDIATION_OFF, E_NOT_FOUND,
 * E_REMEDIATION_PARAMS naming the step and field.
 */
import { randomUUID } from 'node:crypto';
import { parseDuration } from '../../domain/duration.js';
import { VigilError } from '../../domain/errors.js';
import type { Incident } from '../../domain/index.js';
import { hasPlaceholder, resolvePlaceholders } from '../actions/index.js';
import type { AnyAction, PlannedStep, RunPlan } from '../types.js';
import { audit, emit, personActor } from './audit.js';
import { actionContext, actionsOf, type RemediationDeps } from './deps.js';

const DEFAULT_STEP_TIMEOUT = 300_000;

function prepare(deps: RemediationDeps, incident: Incident, runId: string, stepId: string, name: string, raw: unknown) {
  const action: AnyAction | undefined = actionsOf(deps)[name];
  if (!action) throw new VigilError('E_REMEDIATION_PARAMS', `step ${stepId}: unknown action ${name}`);
  const resolved = resolvePlaceholders(raw, incident);
  if (hasPlaceholder(resolved))
    throw new VigilError('E_REMEDIATION_PARAMS', `step ${stepId}: incident data holds placeholder text; refused`);
  const parsed = action.params.safeParse(resolved);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VigilError('E_REMEDIATION_PARAMS', `step ${stepId}: params.${issue.path.join('.')}: ${issue.message}`);
  }
  const ctx = actionContext(deps, incident, runId, stepId, new AbortController().signal);
  return { action, params: parsed.data as Record<string, unknown>, lines: action.plan(parsed.data, ctx) };
}

export async function planRun(
  deps: RemediationDeps,
  incidentId: string,
  playbookName: string,
  requestedBy: string,
): Promise<RunPlan> {
  if (deps.mode === 'off') throw new VigilError('E_REMEDIATION_OFF', 'remediation is off (VIGIL_REMEDIATION=off)');
  const playbook = deps.playbooks.find((p) => p.name === playbookName);
  if (!playbook)
    throw new VigilError(
      'E_NOT_FOUND',
      `no playbook named ${playbookName}; known: ${deps.playbooks.map((p) => p.name).join(', ')}`,
    );
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new VigilError('E_NOT_FOUND', `no incident ${incidentId}`);
  const now = (deps.now ?? Date.now)();
  const runId = (deps.newId ?? randomUUID)();

  const steps = playbook.steps.map((s): PlannedStep => {
    const { action, params, lines } = prepare(deps, incident, runId, s.id, s.action, s.params);
    const revert = s.revert ? prepare(deps, incident, runId, `${s.id}:revert`, s.revert.action, s.revert.params) : null;
    return {
      id: s.id,
      action: s.action,
      effect: s.effect,
      lines,
      params,
      onFailure: s.onFailure,
      timeoutMs: (s.timeout ? parseDuration(s.timeout) : null) ?? action.timeoutMs?.(params) ?? DEFAULT_STEP_TIMEOUT,
      ...(revert ? { revert: { action: s.revert!.action, params: revert.params, lines: revert.lines } } : {}),
    };
  });
  const plan: RunPlan = {
    runId,
    incidentId,
    service: incident.service,
    playbook: playbook.name,
    title: playbook.title,
    runbook: playbook.runbook,
    mode: deps.mode,
    approval: playbook.policy.approval,
    policy: playbook.policy,
    verify: playbook.verify ?? null,
    requestedBy,
    steps,
    status: playbook.policy.approval === 'auto' ? 'approved' : 'awaiting_approval',
    expiresAt: now + (parseDuration(playbook.policy.timeout) ?? 1_800_000),
  };
  await deps.store.createRun(plan, now);
  const lines = steps.flatMap((s) => s.lines.map((l) => `[${s.id}${s.effect === 'write' ? '' : ', read-only'}] ${l}`));
  await audit(deps, plan, {
    actor: personActor(requestedBy),
    action: 'remediation.plan',
    result: 'planned',
    detail: `planned (${deps.mode}, approval ${plan.approval}): ${lines.join('; ')}`,
    params: { steps: steps.map((s) => ({ id: s.id, action: s.action, params: s.params })) },
  });
  if (plan.status === 'approved') {
    await audit(deps, plan, {
      actor: 'policy:auto',
      action: 'remediation.approve',
      result: 'ok',
      detail: 'approved by policy: every step is read-only',
    });
  }
  const state = await deps.store.getRun(runId);
  if (state) await emit(deps, { type: 'planned', run: state });
  return plan;
}
