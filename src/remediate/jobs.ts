/**
 * Remediation runs as queue work, and what people see of them:
 * - a run that becomes approved (by people, or by policy when planned) is
 *   enqueued as one 'remediate' job with jobId `remediate_<runId>`, so a
 *   duplicate enqueue is a no-op; a retried or repeated job executes the run
 *   again, which the runner makes safe (step idempotency keys, run lease);
 * - every run event re-renders the incident through the `progressTo`
 *   notifiers (the runner's timeline entries become replies in the Slack
 *   thread), silences notwithstanding: people asked for the run;
 * - `resume` enqueues approved runs whose job was lost with a process.
 * Effects: enqueues 'remediate' and 'notify' jobs; log lines. Failure modes:
 * a failing enqueue of a run is logged (the run stays approved and `resume`
 * enqueues it at the next start); a failing notify enqueue rejects.
 */
import type { Queue } from '../queue/types.js';
import type { RemediationStore } from '../store/types.js';
import { runText } from './describe.js';
import type { RemediationService, RunEvent, RunState } from './types.js';

export interface RunJobsDeps {
  readonly queue: Pick<Queue, 'enqueue'>;
  readonly store: Pick<RemediationStore, 'listRuns'>;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Notifiers that show run progress (Slack threads); the console shows the log lines instead. */
  readonly progressTo: readonly string[];
}

/** Enqueues `event` for the incident to each of `to`; a run was asked for by people, so silences do not apply. */
export async function announce(
  queue: Pick<Queue, 'enqueue'>,
  incidentId: string,
  event: 'updated' | 'resolved',
  to: readonly string[],
): Promise<void> {
  for (const notifier of to)
    await queue.enqueue('notify', { incidentId, event, notifier, ignoreSilences: true }, { attempts: 5 });
}

export async function enqueueRun(d: RunJobsDeps, run: RunState): Promise<void> {
  const { runId, incidentId, playbook } = run.plan;
  await d.queue
    .enqueue('remediate', { runId, incidentId, playbook }, { jobId: `remediate_${runId}`, attempts: 3 })
    .catch((err: unknown) =>
      d.log.warn(
        { run: runId, err },
        'could not enqueue an approved remediation run; it is enqueued again at the next start',
      ),
    );
}

/** The runner's onEvent: logs the event, enqueues a run once approved, re-renders the incident's progress. */
export function onRunEvent(d: RunJobsDeps): (e: RunEvent) => Promise<void> {
  return async (e) => {
    const line =
      e.type === 'step'
        ? `${e.step.stepId}: ${e.step.status}${e.step.summary ? ` — ${e.step.summary}` : ''}`
        : runText(e.run).split('\n')[0]!;
    d.log.info(
      { run: e.run.plan.runId, incident: e.run.plan.incidentId, playbook: e.run.plan.playbook, event: e.type },
      `remediation ${e.run.plan.playbook}: ${line}`,
    );
    if ((e.type === 'planned' || e.type === 'approved') && e.run.status === 'approved') await enqueueRun(d, e.run);
    await announce(d.queue, e.run.plan.incidentId, 'updated', d.progressTo);
  };
}

/** Handles one 'remediate' job. */
export async function executeRunJob(
  d: Pick<RunJobsDeps, 'log'>,
  service: RemediationService,
  job: { readonly runId: string },
): Promise<void> {
  const run = await service.execute(job.runId);
  d.log.info({ run: job.runId, status: run.status }, `remediation run ${job.runId} is ${run.status}`);
}

/** Enqueues approved runs that never started (their job was lost with a process); returns how many. */
export async function resumeRuns(d: RunJobsDeps): Promise<number> {
  const stuck = (await d.store.listRuns({ limit: 200 })).filter(
    (run) => run.status === 'approved' || run.status === 'running',
  );
  for (const run of stuck) await enqueueRun(d, run);
  return stuck.length;
}
