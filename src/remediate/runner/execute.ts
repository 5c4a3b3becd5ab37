/**
 * Executes an approved run: takes it (approved -> running, with a lease),
 * runs each step once (step.ts), handles failures per step (stop, continue,
 * revert), verifies, and records the end. Safe to call again for the same
 * run (a retried job, a second worker, a restart):
 * - a finished run is returned as it is;
 * - a run held by a live lease is left to its holder;
 * - a run left 'running' past its lease (the executor died) escalates, and
 *   a step it left 'running' is marked 'unknown', never re-run.
 * Mode: writes run only when both the plan and the current mode are 'on';
 * otherwise they are recorded as planned (dry-run). Read steps (watching,
 * wait-and-verify) run in every mode: they change nothing. The final
 * verification is skipped only when dry-run left write steps unrun (nothing
 * changed, so there is no fix to verify).
 * Failure modes: E_NOT_FOUND, E_REMEDIATION_OFF, E_REMEDIATION_STATE (not approved).
 */
import { VigilError } from '../../domain/errors.js';
import { parseDuration } from '../../domain/duration.js';
import type { Incident } from '../../domain/index.js';
import type { PlannedStep, RunPlan, RunState, RunStatus } from '../types.js';
import { audit, emit } from './audit.js';
import type { RemediationDeps } from './deps.js';
import { runStep, type StepOutcome } from './step.js';

const LEASE_MARGIN = 60_000;
const TERMINAL: readonly RunStatus[] = ['succeeded', 'failed', 'rejected', 'expired', 'escalated', 'reverted'];

async function finish(deps: RemediationDeps, plan: RunPlan, status: RunStatus, outcome: string): Promise<RunState> {
  await deps.store.transitionRun(plan.runId, ['running'], status, {
    now: (deps.now ?? Date.now)(),
    outcome,
    leaseUntil: null,
  });
  await audit(deps, plan, {
    actor: 'vigil',
    action: 'remediation.finish',
    result: status === 'succeeded' ? 'ok' : 'error',
    detail: `${status}: ${outcome}`,
  });
  const state = (await deps.store.getRun(plan.runId))!;
  await emit(deps, { type: 'finished', run: state });
  return state;
}

async function revertDone(
  deps: RemediationDeps,
  plan: RunPlan,
  incident: Incident,
  done: readonly PlannedStep[],
  dryRun: boolean,
): Promise<{ ok: boolean; text: string }> {
  const reverts = [...done].reverse().filter((s) => s.revert);
  if (reverts.length === 0) return { ok: false, text: 'nothing to revert (no step declares a revert)' };
  let ok = true;
  for (const s of reverts) {
    const r = await runStep(
      deps,
      plan,
      incident,
      {
        id: `${s.id}:revert`,
        action: s.revert!.action,
        effect: 'write',
        params: s.revert!.params,
        timeoutMs: s.timeoutMs,
      },
      { dryRun },
    );
    ok &&= r.kind === 'ok' || r.kind === 'planned';
  }
  return { ok, text: ok ? `reverted ${reverts.map((s) => s.id).join(', ')}` : 'a revert step failed' };
}

async function take(deps: RemediationDeps, runId: string): Promise<RunState | { taken: RunState }> {
  const now = (deps.now ?? Date.now)();
  const run = await deps.store.getRun(runId);
  if (!run) throw new VigilError('E_NOT_FOUND', `no remediation run ${runId}`);
  if (TERMINAL.includes(run.status)) return run;
  if (run.status === 'awaiting_approval')
    throw new VigilError('E_REMEDIATION_STATE', `run ${runId} is not approved yet`);
  const lease = now + run.plan.steps[0]!.timeoutMs + LEASE_MARGIN;
  if (await deps.store.transitionRun(runId, ['approved'], 'running', { now, leaseUntil: lease })) {
    return { taken: (await deps.store.getRun(runId))! };
  }
  // Running already: a live lease belongs to another executor; an ended one was abandoned.
  if (
    await deps.store.transitionRun(runId, ['running'], 'running', {
      now,
      leaseUntil: now + LEASE_MARGIN,
      leaseBefore: now,
    })
  ) {
    return { taken: (await deps.store.getRun(runId))! };
  }
  return (await deps.store.getRun(runId))!;
}

export async function executeRun(deps: RemediationDeps, runId: string): Promise<RunState> {
  if (deps.mode === 'off') throw new VigilError('E_REMEDIATION_OFF', 'remediation is off (VIGIL_REMEDIATION=off)');
  const got = await take(deps, runId);
  if (!('taken' in got)) return got;
  const { plan } = got.taken;
  const now = deps.now ?? Date.now;
  const incident = await deps.store.getIncident(plan.incidentId);
  if (!incident) return finish(deps, plan, 'failed', `incident ${plan.incidentId} is gone`);
  const dryRun = !(plan.mode === 'on' && deps.mode === 'on');

  const done: PlannedStep[] = [];
  const failures: string[] = [];
  let lastRead: string | null = null;
  for (const step of plan.steps) {
    await deps.store.transitionRun(runId, ['running'], 'running', {
      now: now(),
      leaseUntil: now() + step.timeoutMs + LEASE_MARGIN,
    });
    const r: StepOutcome = await runStep(deps, plan, incident, step, { dryRun });
    if (r.kind === 'unknown') return finish(deps, plan, 'escalated', r.summary);
    if (r.kind === 'ok' && step.effect === 'read') lastRead = `${step.id}: ${r.summary}`;
    if (r.kind !== 'failed') {
      done.push(step);
      continue;
    }
    failures.push(`${step.id}: ${r.summary}`);
    if (step.onFailure === 'continue') continue;
    if (step.onFailure === 'revert') {
      const rev = await revertDone(deps, plan, incident, done, dryRun);
      return finish(deps, plan, rev.ok ? 'reverted' : 'escalated', `${step.id} failed (${r.summary}); ${rev.text}`);
    }
    return finish(deps, plan, 'failed', `${step.id} failed: ${r.summary}`);
  }

  const writes = plan.steps.filter((s) => s.effect === 'write').length;
  if (dryRun && writes > 0)
    return finish(
      deps,
      plan,
      'succeeded',
      `dry run: ${writes} write steps planned and audited, none run; verification skipped${lastRead ? `; ${lastRead}` : ''}`,
    );
  const suffix = failures.length ? ` (failed but continued: ${failures.join('; ')})` : '';
  if (!plan.verify) return finish(deps, plan, 'succeeded', `all steps done${lastRead ? `: ${lastRead}` : ''}${suffix}`);

  const window = parseDuration(plan.verify.window) ?? 600_000;
  await deps.store.transitionRun(runId, ['running'], 'running', {
    now: now(),
    leaseUntil: now() + window + 2 * LEASE_MARGIN,
  });
  const v = await runStep(
    deps,
    plan,
    incident,
    {
      id: 'verify:final',
      action: 'wait-and-verify',
      effect: 'read',
      params: { window: plan.verify.window, metrics: plan.verify.metrics },
      timeoutMs: window + LEASE_MARGIN,
    },
    { dryRun },
  );
  if (v.kind === 'unknown') return finish(deps, plan, 'escalated', v.summary);
  if (v.kind === 'ok') {
    if (plan.verify.ifRecovered === 'resolve')
      await deps.resolveIncident?.(plan.incidentId, `${plan.playbook}: ${v.summary}`);
    return finish(deps, plan, 'succeeded', `${v.summary}${suffix}`);
  }
  if (plan.verify.ifNot === 'revert') {
    const rev = await revertDone(deps, plan, incident, done, dryRun);
    return finish(deps, plan, rev.ok ? 'reverted' : 'escalated', `${v.summary}; ${rev.text}`);
  }
  return finish(deps, plan, 'escalated', `${v.summary}; escalating to people`);
}
