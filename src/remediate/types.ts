/**
 * The remediation seam: Action (one fix or diagnosis), Playbook (when and
 * how to run actions), and RemediationService (plan, approve, run, verify,
 * audit) — the API the Slack bot and the CLI call. Plain types, no I/O.
 */
import type { z } from 'zod';
import type {
  Anomaly,
  Deployment,
  Effect,
  Incident,
  Point,
  RunPlan,
  RunState,
  StepExecution,
} from '../domain/index.js';
import type { Playbook } from './playbook/schema.js';

export type { Playbook, PlaybookStep, Policy } from './playbook/schema.js';
// The run types live in domain/ because store/ keeps runs; re-exported as part of this port.
export type {
  Approval,
  Effect,
  PlannedStep,
  RemediationMode,
  RunPlan,
  RunPolicy,
  RunState,
  RunStatus,
  RunVerify,
  StepExecution,
  StepStatus,
} from '../domain/index.js';
export { ACTIVE_RUN_STATUSES } from '../domain/index.js';

/** What an action may use. Everything it touches outside the process goes through these. */
export interface ActionContext {
  readonly runId: string;
  readonly stepId: string;
  readonly incident: Incident;
  readonly signal: AbortSignal;
  readonly awsRegion: string | null;
  /** Hosts http.webhook may POST to, exactly (no wildcards). */
  readonly webhookHosts: readonly string[];
  /** Executables local.command may run (names on PATH or absolute paths), exactly. */
  readonly localCommands: readonly string[];
  /** The parts of the Store actions read (a Store satisfies it): actions see no more of the store than this. */
  readonly store: {
    listAnomalies(q: { readonly services?: readonly string[]; readonly since?: number }): Promise<Anomaly[]>;
    getDeployment(id: string): Promise<Deployment | null>;
    listPoints(seriesKey: string, range: { readonly from: number; readonly to: number }): Promise<Point[]>;
  };
  readonly now: () => number;
  /** Waits `ms` (rejects when `signal` aborts). Injected so verification is testable without real minutes. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface ActionResult {
  readonly ok: boolean;
  /** One line for people (Slack thread, audit detail). */
  readonly summary: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * One fix or diagnosis. `params` is checked when playbooks load; `plan`
 * describes what `run` would do without doing it (always shown to the approver).
 */
export interface Action<P> {
  readonly name: string;
  readonly effect: Effect;
  readonly params: z.ZodType<P>;
  /** Default step timeout for these params when the playbook gives none (else 5 minutes). */
  readonly timeoutMs?: (params: P) => number;
  plan(params: P, ctx: ActionContext): string[];
  run(params: P, ctx: ActionContext): Promise<ActionResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = Action<any>;

export interface PlaybookMatch {
  readonly playbook: string;
  readonly title: string;
  /** Higher is more specific: the weights of the match rules that held (recommend.ts). */
  readonly score: number;
  readonly reasons: readonly string[];
  /** One line for people: the rules that held, then "-> <playbook>". */
  readonly reason: string;
  readonly approval: Playbook['policy']['approval'];
}

/** What recommending reads besides the incident; each part is optional (absent: the headline alone, no labels). */
export interface IncidentFacts {
  /** Labels of the incident's series (first value of each key wins). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Every anomaly of the incident, on every series (its metrics and kinds). */
  readonly anomalies?: readonly Pick<Anomaly, 'seriesKey' | 'metric' | 'kind' | 'observed' | 'expected'>[];
  /** The suspect deploy itself: its source tells the platform (platform.ts). */
  readonly deployment?: Deployment | null;
}

export interface Approver {
  readonly id: string;
  readonly groups: readonly string[];
}

/** Progress for the incident's thread (Slack) and logs. */
export type RunEvent =
  | { readonly type: 'planned' | 'approved' | 'rejected' | 'finished'; readonly run: RunState }
  | { readonly type: 'step'; readonly run: RunState; readonly step: StepExecution };

export interface RemediationService {
  /** Playbooks whose match fits the incident, best score first (recommend.ts). */
  recommend(incident: Incident, facts?: IncidentFacts): PlaybookMatch[];
  /** Dry-run plan of `playbook` for the incident; persists a run awaiting approval (or approved, under auto). */
  plan(incidentId: string, playbook: string, requestedBy: string): Promise<RunPlan>;
  /** Refused (E_REMEDIATION_FORBIDDEN) for someone not allowed, or approving twice. */
  approve(runId: string, user: Approver): Promise<RunState>;
  reject(runId: string, user: Approver, reason: string): Promise<RunState>;
  /** Runs an approved run's steps once each; safe to call again (retried job, crash). */
  execute(runId: string): Promise<RunState>;
  get(runId: string): Promise<RunState | null>;
}
