/**
 * Who may approve or reject a run. Rules (docs/playbooks.md):
 * auto runs need no person; otherwise the approver must be listed (user id
 * or one of their groups); the requester counts only when the policy says
 * `selfApprove: true`; under `two`, two different people. Pure.
 */
import type { Approver, RunState } from '../types.js';
import type { Policy } from '../playbook/schema.js';
import { mention } from './audit.js';

export const APPROVALS_NEEDED: Record<Policy['approval'], number> = { auto: 0, one: 1, two: 2 };

export function isListed(policy: Policy, user: Approver): boolean {
  return policy.approvers.users.includes(user.id) || user.groups.some((g) => policy.approvers.groups.includes(g));
}

/** Null when `user` may approve `run` now, else the reason for refusing. */
export function approvalRefusal(run: RunState, user: Approver): string | null {
  const policy = run.plan.policy;
  if (policy.approval === 'auto') return 'this run was approved by policy (read-only steps); no person approves it';
  if (!isListed(policy, user)) return `${mention(user.id)} is not an approver of playbook ${run.plan.playbook}`;
  if (user.id === run.plan.requestedBy && !policy.selfApprove)
    return `${mention(user.id)} asked for this run and cannot approve it (policy selfApprove is false)`;
  if (run.approvals.some((a) => a.userId === user.id))
    return `${mention(user.id)} has approved this run already; it needs ${APPROVALS_NEEDED[policy.approval]} different people`;
  return null;
}

/** Listed approvers may reject; so may the requester (withdrawing the request). */
export function rejectRefusal(run: RunState, user: Approver): string | null {
  if (user.id === run.plan.requestedBy || isListed(run.plan.policy, user)) return null;
  return `${mention(user.id)} is neither an approver of playbook ${run.plan.playbook} nor the requester`;
}
