/**
 * The Slack adapter's seams: how incidents are routed to channels, the
 * playbook runner the buttons and `/vigil run` call (src/remediate provides
 * one; the default says remediation is not configured), and the recommended
 * playbook shown on a post.
 */
import type { Severity } from '../../domain/index.js';

/** The Slack notifier's name (Notifier.name, notification refs). */
export const SLACK_NOTIFIER = 'slack';

/** First matching route wins; an incident below every matching route's minSeverity goes to the default channel. */
export interface SlackRoute {
  /** Glob over the service name: `*` any run of characters, `?` one. */
  readonly service: string;
  readonly minSeverity: Severity;
  readonly channel: string;
}

export interface PlaybookRunner {
  /**
   * Asks for a run of `playbook` on an incident; resolves with a message for the user, or
   * with a planned run (its dry-run plan and id), which approval.ts posts into the incident's thread.
   */
  requestRun(incidentId: string, playbook: string, user: string): Promise<string | PlannedRun>;
  /** The Approve / Reject buttons; absent where remediation is not configured. Refusals resolve with ok false. */
  decide?(runId: string, decision: 'approve' | 'reject', user: SlackApprover): Promise<RunDecision>;
}

/** A run that was planned: `text` is the plan shown to approvers; `awaitingApproval` false when policy approved it. */
export interface PlannedRun {
  readonly runId: string;
  readonly text: string;
  readonly awaitingApproval: boolean;
}
/** A Slack user and the user groups (ids and handles) they belong to. */
export interface SlackApprover {
  readonly id: string;
  readonly groups: readonly string[];
}
/**
 * `text`: the run's state after the decision, or why it was refused; `open` while the run
 * still awaits approvals; `plan`: its plan text, to re-render the plan message (absent for an unknown run).
 */
export interface RunDecision {
  readonly ok: boolean;
  readonly text: string;
  readonly open: boolean;
  readonly plan?: string;
}

export const unconfiguredRunner: PlaybookRunner = {
  async requestRun(_incidentId, playbook) {
    return `Remediation is not configured in this Vigil, so playbook "${playbook}" was not run. See docs/playbooks.md.`;
  },
};

/** Slack's documented limits that the renderer respects. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  buttonValue: 2000,
  buttonText: 75,
  headerText: 150,
  fallbackText: 4000,
  contextText: 3000,
  fieldText: 2000,
} as const;

/** Action ids of the buttons on incident posts. */
export const ACTIONS = {
  ack: 'vigil_ack',
  resolve: 'vigil_resolve',
  silence: 'vigil_silence_1h',
  notAnomaly: 'vigil_not_anomaly',
  unfeedback: 'vigil_unfeedback',
  runPlaybook: 'vigil_run_playbook',
  approveRun: 'vigil_approve_run',
  rejectRun: 'vigil_reject_run',
} as const;

/** What a button carries (JSON in its value, within LIMITS.buttonValue). */
export interface ButtonValue {
  readonly incidentId: string;
  readonly playbook?: string;
  readonly feedbackId?: string;
}
