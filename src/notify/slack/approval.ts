/**
 * Playbook approval in Slack. A planned run (PlaybookRunner.requestRun) is
 * posted into its incident's thread with Approve and Reject buttons whose
 * value is {runId}. A click resolves the clicker's user groups, asks the
 * runner to decide (the remediation service enforces the approver list, the
 * two-person rule, self-approval and expiry, and audits every refusal), and
 * re-renders the clicked plan message: the buttons stay only while the run
 * still awaits approval. Progress after approval reaches the thread through
 * the incident's timeline (the runner writes it; the notifier replies it).
 *
 * Effects: chat.postMessage (the plan), usergroups.list, chat.update (the
 * plan message). Failure modes: an incident with no Slack thread gets the
 * plan as the reply text (no buttons; approve where the thread is); a
 * failing usergroups.list (no usergroups:read scope) counts the user in no
 * group and is logged; a failing post or update is logged and the run's
 * state stands; an error from the runner becomes a short reply.
 */
import { z } from 'zod';
import { wrapError } from '../../domain/errors.js';
import { context, section, type Block, type Button } from './blocks.js';
import type { WebClient } from './client.js';
import { classify } from './errors.js';
import type { OperationDeps, Outcome } from './operations.js';
import { shorten } from './text.js';
import { ACTIONS, LIMITS, type PlannedRun, type PlaybookRunner } from './types.js';

/** The notifier name under which incident posts are stored (notifier.ts SLACK_NOTIFIER). */
const INCIDENT_REFS = 'slack';

export interface ApprovalDeps {
  readonly client: WebClient;
  readonly store: OperationDeps['store'];
  readonly log: { warn(obj: object, msg: string): void };
}

/** What an Approve or Reject button carries. */
export const runButtonValue = z.object({ runId: z.string().min(1).max(200) });

function runButton(label: string, actionId: string, runId: string, style: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label, emoji: true },
    action_id: actionId,
    value: JSON.stringify({ runId }),
    style,
  };
}

/** The plan message: the plan, a status line, and Approve / Reject while the run awaits approval. */
export function planMessage(
  runId: string,
  plan: string,
  status: string,
  open: boolean,
): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section(plan), context(status)];
  if (open) {
    blocks.push({
      type: 'actions',
      block_id: 'vigil_run',
      elements: [
        runButton('Approve', ACTIONS.approveRun, runId, 'primary'),
        runButton('Reject', ACTIONS.rejectRun, runId, 'danger'),
      ],
    });
  }
  return { text: shorten(`${plan}\n${status}`, LIMITS.fallbackText), blocks };
}

/**
 * Wraps the runner so that a planned run is posted into the incident's
 * thread; the requester is answered with a pointer to it (or with the plan
 * itself when the incident has no thread).
 */
export function postingPlans(runner: PlaybookRunner, d: ApprovalDeps): PlaybookRunner {
  return {
    ...runner,
    async requestRun(incidentId, playbook, user) {
      const r = await runner.requestRun(incidentId, playbook, user);
      if (typeof r === 'string') return r;
      return (await postPlan(d, incidentId, r))
        ? `Planned run \`${r.runId}\` of ${playbook}: the plan is in the incident's thread${r.awaitingApproval ? ' for approval' : ''}.`
        : r.text;
    },
  };
}

async function postPlan(d: ApprovalDeps, incidentId: string, r: PlannedRun): Promise<boolean> {
  const ref = await d.store.getNotificationRef(INCIDENT_REFS, incidentId);
  if (!ref?.ts) return false;
  const status = r.awaitingApproval
    ? `Requested; awaiting approval (run \`${r.runId}\`).`
    : `Approved by policy (read-only); running (run \`${r.runId}\`).`;
  const m = planMessage(r.runId, r.text, status, r.awaitingApproval);
  try {
    await d.client.chat.postMessage({
      channel: ref.channel,
      thread_ts: ref.ts,
      text: m.text,
      blocks: m.blocks,
      unfurl_links: false,
    });
    return true;
  } catch (err) {
    d.log.warn(
      { incident: incidentId, run: r.runId, err: classify(err).message },
      'could not post a playbook plan into the incident thread',
    );
    return false;
  }
}

/**
 * The ids and handles of the user groups `userId` belongs to (usergroups.list
 * with include_users; scope usergroups:read). Playbooks may name either.
 */
export async function groupsOf(d: ApprovalDeps, userId: string): Promise<string[]> {
  try {
    const res = await d.client.usergroups.list({ include_users: true });
    return (res.usergroups ?? [])
      .filter((g) => g.users?.includes(userId))
      .flatMap((g) => [g.id, g.handle].filter((x): x is string => !!x));
  } catch (err) {
    d.log.warn(
      { user: userId, err: classify(err).message },
      'could not list Slack user groups (scope usergroups:read?); approver counted in no group',
    );
    return [];
  }
}

/** Handles an Approve or Reject click on the plan message at `where`. */
export async function decideRun(
  d: ApprovalDeps,
  runner: PlaybookRunner,
  decision: 'approve' | 'reject',
  runId: string,
  userId: string,
  where: { channel: string; ts: string } | null,
): Promise<Outcome> {
  if (!runner.decide) return { ok: false, text: 'Remediation is not configured in this Vigil; nothing to approve.' };
  try {
    const r = await runner.decide(runId, decision, { id: userId, groups: await groupsOf(d, userId) });
    if (r.ok && where && r.plan !== undefined) {
      const by = `${decision === 'approve' ? 'Approved' : 'Rejected'} by <@${userId}>. ${r.text}`;
      const m = planMessage(runId, r.plan, by, r.open);
      await d.client.chat
        .update({ channel: where.channel, ts: where.ts, text: m.text, blocks: m.blocks })
        .catch((err: unknown) =>
          d.log.warn({ run: runId, err: classify(err).message }, 'could not update the plan message'),
        );
    }
    return { ok: r.ok, text: r.text };
  } catch (err) {
    return { ok: false, text: `Could not ${decision} run \`${runId}\`: ${wrapError(err).message}` };
  }
}
