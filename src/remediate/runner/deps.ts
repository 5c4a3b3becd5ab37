/**
 * What the runner needs, passed in by main.ts (no hidden inputs), and the
 * ActionContext it builds for each step.
 */
import type { Incident } from '../../domain/index.js';
import { ACTIONS } from '../actions/index.js';
import type { AuditLog, IncidentStore, RemediationStore } from '../../store/index.js';
import type { Playbook } from '../playbook/schema.js';
import type { ActionContext, AnyAction, RemediationMode, RunEvent } from '../types.js';

export interface RemediationDeps {
  readonly store: RemediationStore &
    AuditLog &
    Pick<IncidentStore, 'getIncident' | 'appendTimeline'> &
    ActionContext['store'];
  readonly playbooks: readonly Playbook[];
  /** The kill switch, read at plan and at execute time (VIGIL_REMEDIATION). */
  readonly mode: RemediationMode;
  readonly awsRegion?: string | null;
  readonly webhookHosts?: readonly string[];
  readonly localCommands?: readonly string[];
  /** Defaults to the built-in actions (tests may pass stubs). */
  readonly actions?: Readonly<Record<string, AnyAction>>;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly newId?: () => string;
  /** Progress for the incident's thread; a failing listener never stops a run. */
  readonly onEvent?: (e: RunEvent) => void | Promise<void>;
  /** Called when verification saw recovery and the playbook says `ifRecovered: resolve`. */
  readonly resolveIncident?: (incidentId: string, reason: string) => Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function actionContext(
  deps: RemediationDeps,
  incident: Incident,
  runId: string,
  stepId: string,
  signal: AbortSignal,
): ActionContext {
  return {
    runId,
    stepId,
    incident,
    signal,
    awsRegion: deps.awsRegion ?? null,
    webhookHosts: deps.webhookHosts ?? [],
    localCommands: deps.localCommands ?? [],
    store: deps.store,
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? abortableSleep,
  };
}

/** The actions by name (built-in unless the deps override them). */
export function actionsOf(deps: RemediationDeps): Readonly<Record<string, AnyAction | undefined>> {
  return deps.actions ?? ACTIONS;
}
