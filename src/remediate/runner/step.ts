/**
 * Runs one planned step exactly once. The (run, step) idempotency key is
 * persisted with status 'running' BEFORE the action runs; a key found
 * already stored is never run again: finished results are reused, and one
 * left 'running' (the process died mid-step) becomes 'unknown' — nobody can
 * tell whether the fix happened, so the run escalates instead of retrying.
 * Effects: claimStep/finishStep, the action itself, audit + timeline.
 * Failure modes: an action throwing or timing out is a failed step, not a rejection.
 */
import type { Incident } from '../../domain/index.js';
import type { ActionResult, AnyAction, Effect, RunPlan, StepExecution } from '../types.js';
import { audit, emit } from './audit.js';
import { actionContext, actionsOf, type RemediationDeps } from './deps.js';

export interface StepSpec {
  readonly id: string;
  readonly action: string;
  readonly effect: Effect;
  readonly params: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
}

export type StepOutcome =
  | {
      readonly kind: 'ok' | 'failed' | 'planned' | 'skipped';
      readonly summary: string;
      readonly data?: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'unknown'; readonly summary: string };

async function runWithTimeout(
  action: AnyAction,
  spec: StepSpec,
  deps: RemediationDeps,
  incident: Incident,
  plan: RunPlan,
): Promise<ActionResult> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`timed out after ${spec.timeoutMs} ms`)), spec.timeoutMs);
  try {
    const ctx = actionContext(deps, incident, plan.runId, spec.id, ac.signal);
    const aborted = new Promise<never>((_, reject) =>
      ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true }),
    );
    return await Promise.race([action.run(spec.params, ctx), aborted]);
  } catch (err) {
    return { ok: false, summary: `${spec.action} failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** `dryRun`: a write step is recorded as planned and never runs. `skip`: recorded as skipped (with the reason). */
export async function runStep(
  deps: RemediationDeps,
  plan: RunPlan,
  incident: Incident,
  spec: StepSpec,
  how: { dryRun: boolean; skip?: string },
): Promise<StepOutcome> {
  const now = deps.now ?? Date.now;
  const key = `${plan.runId}/${spec.id}`;
  const notRun = how.skip !== undefined ? 'skipped' : how.dryRun && spec.effect === 'write' ? 'planned' : null;
  const exec: StepExecution = {
    runId: plan.runId,
    stepId: spec.id,
    idempotencyKey: key,
    action: spec.action,
    status: notRun ?? 'running',
    startedAt: now(),
    finishedAt: notRun ? now() : null,
    summary: notRun === 'skipped' ? how.skip! : notRun === 'planned' ? 'dry run: planned, not run' : null,
  };
  const existing = await deps.store.claimStep(exec);
  if (existing) {
    if (existing.status === 'running' || existing.status === 'unknown') {
      const summary = `step ${spec.id} was interrupted while running (crash or restart); its effect is unknown and it is not run again`;
      await deps.store.finishStep(key, 'unknown', summary, now());
      await audit(deps, plan, {
        actor: 'vigil',
        action: spec.action,
        result: 'error',
        detail: summary,
        params: { stepId: spec.id, idempotencyKey: key },
      });
      return { kind: 'unknown', summary };
    }
    return {
      kind: existing.status === 'failed' ? 'failed' : existing.status,
      summary: `${existing.summary ?? ''} (recorded earlier; not run again)`,
    };
  }
  const common = { stepId: spec.id, idempotencyKey: key, stepParams: spec.params };
  if (notRun) {
    await audit(deps, plan, {
      actor: 'vigil',
      action: spec.action,
      result: notRun === 'planned' ? 'planned' : 'ok',
      detail: `${spec.id}: ${exec.summary}`,
      params: common,
    });
    await emit(deps, { type: 'step', run: (await deps.store.getRun(plan.runId))!, step: exec });
    return { kind: notRun, summary: exec.summary! };
  }
  const action = actionsOf(deps)[spec.action];
  const started = now();
  const result: ActionResult = action
    ? await runWithTimeout(action, spec, deps, incident, plan)
    : { ok: false, summary: `unknown action ${spec.action}` };
  const finished = now();
  await deps.store.finishStep(key, result.ok ? 'ok' : 'failed', result.summary, finished);
  await audit(deps, plan, {
    actor: 'vigil',
    action: spec.action,
    result: result.ok ? 'ok' : 'error',
    detail: `${spec.id}: ${result.summary}`,
    params: { ...common, durationMs: finished - started, ...(result.data ? { result: result.data } : {}) },
  });
  const done = {
    ...exec,
    status: result.ok ? ('ok' as const) : ('failed' as const),
    finishedAt: finished,
    summary: result.summary,
  };
  await emit(deps, { type: 'step', run: (await deps.store.getRun(plan.runId))!, step: done });
  return { kind: result.ok ? 'ok' : 'failed', summary: result.summary, ...(result.data ? { data: result.data } : {}) };
}
