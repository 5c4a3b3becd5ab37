/**
 * Plain text for people (Slack threads, CLI): a run's dry-run plan and its
 * state. Also `playbookRequester`, the shape the Slack adapter's
 * PlaybookRunner expects: plans a run and answers with the plan, or with why
 * it could not (remediation off, service busy, bad params), and approves or
 * rejects runs. Pure apart from the service calls.
 */
import { isRemediationCode, VigilError } from '../domain/errors.js';
import type { Approver, RemediationService, RunPlan, RunState } from './types.js';

const APPROVAL_TEXT = {
  auto: 'approved by policy (read-only)',
  one: 'needs 1 approver',
  two: 'needs 2 different approvers',
} as const;

export function planText(plan: RunPlan): string {
  const who = [
    ...plan.policy.approvers.users.map((u) => `<@${u}>`),
    ...plan.policy.approvers.groups.map((g) => `group ${g}`),
  ].join(', ');
  const mode = plan.mode === 'on' ? '' : ' — DRY RUN: write steps are planned and audited, never run';
  return [
    `*${plan.title}* (playbook \`${plan.playbook}\`, run \`${plan.runId}\`)${mode}`,
    `Approval: ${APPROVAL_TEXT[plan.approval]}${who ? ` from ${who}` : ''}; expires <!date^${Math.floor(plan.expiresAt / 1000)}^{time}|in ${plan.policy.timeout}>.`,
    'Plan:',
    ...plan.steps.flatMap((s, i) =>
      s.lines.map((l, j) => `${j === 0 ? `${i + 1}.` : '   '} ${l}${s.effect === 'read' ? ' (read-only)' : ''}`),
    ),
    ...(plan.verify ? [`Then: watch for ${plan.verify.window}; if not recovered, ${plan.verify.ifNot}.`] : []),
  ].join('\n');
}

export function runText(run: RunState): string {
  const steps = run.steps.map((s) => `• ${s.stepId}: ${s.status}${s.summary ? ` — ${s.summary}` : ''}`);
  return [
    `Run \`${run.plan.runId}\` (${run.plan.playbook}): ${run.status.replace('_', ' ')}${run.outcome ? ` — ${run.outcome}` : ''}`,
    ...steps,
  ].join('\n');
}

/** Why a plan or a decision was refused, for people; null for errors that are not the user's to fix. */
function refusal(err: unknown): string | null {
  return err instanceof VigilError && (isRemediationCode(err.code) || err.code === 'E_NOT_FOUND') ? err.message : null;
}

/**
 * Structurally the Slack adapter's PlaybookRunner: `/vigil run` and the Run
 * playbook button call requestRun (a planned run comes back with its id and
 * plan text, or a string saying why none was planned); the Approve / Reject
 * buttons call decide, whose refusals (not an approver, approving twice,
 * expired) resolve with ok false. Approval policy is enforced by the service.
 */
export function playbookRequester(service: RemediationService): {
  requestRun(
    incidentId: string,
    playbook: string,
    user: string,
  ): Promise<string | { runId: string; text: string; awaitingApproval: boolean }>;
  decide(
    runId: string,
    decision: 'approve' | 'reject',
    user: Approver,
  ): Promise<{ ok: boolean; text: string; open: boolean; plan?: string }>;
} {
  return {
    async requestRun(incidentId, playbook, user) {
      try {
        const plan = await service.plan(incidentId, playbook, user);
        return { runId: plan.runId, text: planText(plan), awaitingApproval: plan.status === 'awaiting_approval' };
      } catch (err) {
        const why = refusal(err);
        if (why === null) throw err;
        return `Playbook "${playbook}" was not planned: ${why}`;
      }
    },
    async decide(runId, decision, user) {
      try {
        const run =
          decision === 'approve'
            ? await service.approve(runId, user)
            : await service.reject(runId, user, 'Reject button');
        return { ok: true, text: runText(run), open: run.status === 'awaiting_approval', plan: planText(run.plan) };
      } catch (err) {
        const why = refusal(err);
        if (why === null) throw err;
        const run = await service.get(runId);
        return {
          ok: false,
          text: `Not ${decision === 'approve' ? 'approved' : 'rejected'}: ${why}`,
          open: run?.status === 'awaiting_approval',
          ...(run ? { plan: planText(run.plan) } : {}),
        };
      }
    },
  };
}
