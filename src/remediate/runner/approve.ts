/**
 * Approve and reject. Effects: addApproval / transitionRun (compare-and-set),
 * audit + timeline, including every refusal (audit actor `slack:<id>`,
 * people named as mentions in the text). Failure modes: E_NOT_FOUND,
 * E_REMEDIATION_STATE (run finished, running, or expired: audited as
 * 'refused'), E_REMEDIATION_FORBIDDEN (policy refuses this person; audited
 * as 'refused').
 */
import { VigilError, type VigilErrorCode } from '../../domain/errors.js';
import type { Approver, RunState } from '../types.js';
import { audit, emit, mention, personActor } from './audit.js';
import type { RemediationDeps } from './deps.js';
import { APPROVALS_NEEDED, approvalRefusal, rejectRefusal } from './policy.js';

async function load(deps: RemediationDeps, runId: string): Promise<RunState> {
  const run = await deps.store.getRun(runId);
  if (!run) throw new VigilError('E_NOT_FOUND', `no remediation run ${runId}`);
  return run;
}

async function refuse(
  deps: RemediationDeps,
  run: RunState,
  user: Approver,
  action: string,
  reason: string,
  code: VigilErrorCode = 'E_REMEDIATION_FORBIDDEN',
): Promise<never> {
  await audit(deps, run.plan, { actor: personActor(user.id), action, result: 'refused', detail: reason }, false);
  throw new VigilError(code, reason);
}

export async function approveRun(deps: RemediationDeps, runId: string, user: Approver): Promise<RunState> {
  const now = (deps.now ?? Date.now)();
  let run = await load(deps, runId);
  if (run.status === 'awaiting_approval' && now >= run.plan.expiresAt) {
    await deps.store.transitionRun(runId, ['awaiting_approval'], 'expired', {
      now,
      outcome: 'expired before approval',
    });
    run = await load(deps, runId);
  }
  if (run.status !== 'awaiting_approval') {
    return refuse(
      deps,
      run,
      user,
      'remediation.approve',
      `run ${runId} is ${run.status.replace('_', ' ')}, not awaiting approval`,
      'E_REMEDIATION_STATE',
    );
  }
  const refusal = approvalRefusal(run, user);
  if (refusal) return refuse(deps, run, user, 'remediation.approve', refusal);
  if (!(await deps.store.addApproval(runId, { userId: user.id, groups: user.groups, at: now }))) {
    return refuse(deps, run, user, 'remediation.approve', `${mention(user.id)} has approved this run already`);
  }
  const count = run.approvals.length + 1;
  const needed = APPROVALS_NEEDED[run.plan.policy.approval];
  const complete =
    count >= needed && (await deps.store.transitionRun(runId, ['awaiting_approval'], 'approved', { now }));
  await audit(deps, run.plan, {
    actor: personActor(user.id),
    action: 'remediation.approve',
    result: 'ok',
    detail: complete
      ? `approved by ${mention(user.id)} (${count}/${needed}): ready to run`
      : `approved by ${mention(user.id)} (${count}/${needed}): waiting for another approver`,
  });
  const state = await load(deps, runId);
  await emit(deps, { type: 'approved', run: state });
  return state;
}

export async function rejectRun(
  deps: RemediationDeps,
  runId: string,
  user: Approver,
  reason: string,
): Promise<RunState> {
  const now = (deps.now ?? Date.now)();
  const run = await load(deps, runId);
  const refusal = rejectRefusal(run, user);
  if (refusal) return refuse(deps, run, user, 'remediation.reject', refusal);
  const text = `rejected by ${mention(user.id)}: ${reason.replace(/\s+/g, ' ').slice(0, 500)}`;
  if (!(await deps.store.transitionRun(runId, ['awaiting_approval', 'approved'], 'rejected', { now, outcome: text }))) {
    return refuse(
      deps,
      run,
      user,
      'remediation.reject',
      `run ${runId} is ${run.status.replace('_', ' ')}; only a run not started yet can be rejected`,
      'E_REMEDIATION_STATE',
    );
  }
  await audit(deps, run.plan, {
    actor: personActor(user.id),
    action: 'remediation.reject',
    result: 'ok',
    detail: text,
  });
  const state = await load(deps, runId);
  await emit(deps, { type: 'rejected', run: state });
  return state;
}
