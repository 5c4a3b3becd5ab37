/**
 * Plain text for people (Slack threads, CLI): a run's dry-run plan and its
 * state. Also `playbookRequester`, the shape the Slack adapter's
 * PlaybookRunner expects: plans a run and answers with the plan, or with why
 * it could not (remediation off, service busy, bad params). Pure apart from
 * the service call.
 */
import { VigilError } from '../domain/errors.js';
import type { RemediationService, RunPlan, RunState } from './types.js';

const APPROVAL_TEXT = { auto: 'approved by policy (read-only)', one: 'needs 1 approver', two: 'needs 2 different approvers' } as const;

export function planText(plan: RunPlan): string {
  const who = [...plan.policy.approvers.users.map((u) => `<@${u}>`), ...plan.policy.approvers.groups.map((g) => `group ${g}`)].join(', ');
  const mode = plan.mode === 'on' ? '' : ' — DRY RUN: write steps are planned and audited, never run';
  return [
    `*${plan.title}* (playbook \`${plan.playbook}\`, run \`${plan.runId}\`)${mode}`,
    `Approval: ${APPROVAL_TEXT[plan.approval]}${who ? ` from ${who}` : ''}; expires <!date^${Math.floor(plan.expiresAt / 1000)}^{time}|in ${plan.policy.timeout}>.`,
    'Plan:',
    ...plan.steps.flatMap((s, i) => s.lines.map((l, j) => `${j === 0 ? `${i + 1}.` : '   '} ${l}${s.effect === 'read' ? ' (read-only)' : ''}`)),
    ...(plan.verify ? [`Then: watch for ${plan.verify.window}; if not recovered, ${plan.verify.ifNot}.`] : []),
  ].join('\n');
}

export function runText(run: RunState): string {
  const steps = run.steps.map((s) => `• ${s.stepId}: ${s.status}${s.summary ? ` — ${s.summary}` : ''}`);
  return [`Run \`${run.plan.runId}\` (${run.plan.playbook}): ${run.status.replace('_', ' ')}${run.outcome ? ` — ${run.outcome}` : ''}`, ...steps].join('\n');
}

/** Structurally the Slack adapter's PlaybookRunner: `/vigil run` and the Run playbook button call it. */
export function playbookRequester(service: RemediationService): { requestRun(incidentId: string, playbook: string, user: string): Promise<string> } {
  return {
    async requestRun(incidentId, playbook, user) {
      try {
        return planText(await service.plan(incidentId, playbook, user));
      } catch (err) {
        if (err instanceof VigilError && (err.code.startsWith('E_REMEDIATION') || err.code === 'E_NOT_FOUND')) {
          return `Playbook "${playbook}" was not planned: ${err.message}`;
        }
        throw err;
      }
    },
  };
}
