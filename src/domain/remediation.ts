/**
 * A remediation run as it is planned, approved, executed and stored. Plain
 * types shared by remediate/ (which makes runs) and store/ (which keeps
 * them); the Action and RemediationService ports stay in remediate/types.ts.
 */

export type Effect = 'read' | 'write';
/** off: nothing is planned or run; dry-run: write steps are planned and audited, never run; on: they run. */
export type RemediationMode = 'off' | 'dry-run' | 'on';

/**
 * A playbook's `policy` as parsed (remediate/playbook/schema.ts, which checks
 * at compile time that its output is exactly this shape).
 */
export interface RunPolicy {
  /** auto: read-only playbooks only; one: one person; two: two different people. */
  approval: 'auto' | 'one' | 'two';
  approvers: { users: string[]; groups: string[] };
  selfApprove: boolean;
  /** A duration such as "30m": an unapproved run expires after this long. */
  timeout: string;
}

/** A playbook's `verify` as parsed (checked against remediate/playbook/schema.ts like RunPolicy). */
export interface RunVerify {
  window: string;
  /** Metric globs watched; empty means every series of the incident. */
  metrics: string[];
  ifRecovered: 'resolve' | 'report';
  ifNot: 'revert' | 'escalate';
}

export type RunStatus =
  | 'awaiting_approval'
  | 'approved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'escalated'
  | 'reverted';
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['awaiting_approval', 'approved', 'running'];

export type StepStatus = 'running' | 'ok' | 'failed' | 'planned' | 'skipped' | 'unknown';

export interface PlannedStep {
  readonly id: string;
  readonly action: string;
  readonly effect: Effect;
  /** Human-readable lines from the action's plan(). */
  readonly lines: readonly string[];
  /** Params with placeholders resolved at plan time: what runs is exactly what was approved. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  readonly onFailure: 'stop' | 'continue' | 'revert';
  readonly revert?: {
    readonly action: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly lines: readonly string[];
  };
}

export interface RunPlan {
  readonly runId: string;
  readonly incidentId: string;
  readonly service: string;
  readonly playbook: string;
  readonly title: string;
  readonly runbook: string;
  readonly mode: RemediationMode;
  readonly approval: RunPolicy['approval'];
  /** The playbook's policy when planned: approvals are judged against this, not a later edit. */
  readonly policy: RunPolicy;
  readonly verify: RunVerify | undefined | null;
  readonly requestedBy: string;
  readonly steps: readonly PlannedStep[];
  readonly status: RunStatus;
  /** Epoch ms after which an unapproved run expires. */
  readonly expiresAt: number;
}

export interface Approval {
  readonly userId: string;
  readonly at: number;
}

export interface StepExecution {
  readonly runId: string;
  readonly stepId: string;
  /** `${runId}/${stepId}`: persisted with status before the step runs, so it never runs twice. */
  readonly idempotencyKey: string;
  readonly action: string;
  readonly status: StepStatus;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly summary: string | null;
}

export interface RunState {
  readonly plan: RunPlan;
  readonly status: RunStatus;
  readonly approvals: readonly Approval[];
  readonly steps: readonly StepExecution[];
  /** Why the run ended as it did, for people. */
  readonly outcome: string | null;
  /** While running: until when the executor holds the run; past it, a 'running' run was abandoned (crash). */
  readonly leaseUntil: number | null;
  readonly updatedAt: number;
}
