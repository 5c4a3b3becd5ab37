/**
 * Remediation as main.ts runs it. Loads the playbooks (an invalid one is
 * logged with its file, line and field; the valid ones load) and builds the
 * service, then turns run events into work:
 * - a run that becomes approved (by people, or by policy when planned) is
 *   enqueued as one 'remediate' job with jobId `remediate_<runId>`, so a
 *   duplicate enqueue is a no-op; a retried or repeated job executes the run
 *   again, which the runner makes safe (step idempotency keys, run lease);
 * - every event re-renders the incident through the `progressTo` notifiers
 *   (the runner's timeline entries become replies in the Slack thread),
 *   silences notwithstanding: people asked for the run;
 * - verified recovery under `ifRecovered: resolve` resolves the incident.
 * Effects: reads the playbooks directory, enqueues jobs, updates incidents.
 * Failure modes: an unreadable playbooks directory rejects; a failing
 * enqueue is logged (the run stays approved and `resume` enqueues it at the
 * next start); execute errors that retrying cannot fix fail the job at once.
 */
import type { Config } from '../config/index.js';
import type { Incident } from '../domain/index.js';
import type { Queue } from '../queue/types.js';
import type { Store } from '../store/types.js';
import { playbookRequester, runText } from './describe.js';
import { incidentFacts } from './facts.js';
import { formatError } from './playbook/load.js';
import type { RemediationDeps } from './runner/deps.js';
import { createRemediation, type Remediation } from './setup.js';
import type { RunEvent, RunState } from './types.js';

export interface WireDeps {
  readonly store: Store;
  readonly queue: Queue;
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Every notifier's name (a resolved incident is announced to all). */
  readonly notifiers: readonly string[];
  /** Notifiers that show run progress (Slack threads); the console shows the log lines instead. */
  readonly progressTo: readonly string[];
  /** Wall clock and the waits of wait-and-verify (tests pass a clock that does not really wait). */
  readonly now?: () => number;
  readonly sleep?: RemediationDeps['sleep'];
}

export interface RemediationWiring extends Remediation {
  /** The Slack adapter's PlaybookRunner. */
  readonly runner: ReturnType<typeof playbookRequester>;
  /** The best-scoring playbook for the whole incident and why, for incident posts and /vigil show (DeliverOptions.recommend). */
  recommend(incident: Incident): Promise<{ name: string; title: string; reason: string } | null>;
  /** Handles one 'remediate' job. */
  execute(job: { readonly runId: string }): Promise<void>;
  /** Enqueues approved runs that never started (their job was lost with a process); returns how many. */
  resume(): Promise<number>;
}

export async function wireRemediation(config: Config['remediation'], d: WireDeps): Promise<RemediationWiring> {
  const now = d.now ?? Date.now;
  const enqueueRun = async (run: RunState) => {
    const { runId, incidentId, playbook } = run.plan;
    await d.queue.enqueue('remediate', { runId, incidentId, playbook }, { jobId: `remediate_${runId}`, attempts: 3 })
      .catch((err: unknown) => d.log.warn({ run: runId, err }, 'could not enqueue an approved remediation run; it is enqueued again at the next start'));
  };
  // A run was asked for by people: its progress and outcome show even while the incident is silenced.
  const notify = async (incidentId: string, event: 'updated' | 'resolved', to: readonly string[]) => {
    for (const notifier of to) await d.queue.enqueue('notify', { incidentId, event, notifier, ignoreSilences: true }, { attempts: 5 });
  };

  const onEvent = async (e: RunEvent) => {
    const line = e.type === 'step' ? `${e.step.stepId}: ${e.step.status}${e.step.summary ? ` — ${e.step.summary}` : ''}` : runText(e.run).split('\n')[0]!;
    d.log.info({ run: e.run.plan.runId, incident: e.run.plan.incidentId, playbook: e.run.plan.playbook, event: e.type }, `remediation ${e.run.plan.playbook}: ${line}`);
    if ((e.type === 'planned' || e.type === 'approved') && e.run.status === 'approved') await enqueueRun(e.run);
    await notify(e.run.plan.incidentId, 'updated', d.progressTo);
  };

  const resolveIncident = async (incidentId: string, reason: string) => {
    const i = await d.store.getIncident(incidentId);
    if (!i || i.status === 'resolved') return;
    const at = Math.max(now(), i.lastAnomalyAt);
    await d.store.updateIncident({ ...i, status: 'resolved', resolvedAt: at });
    await d.store.appendTimeline(incidentId, { at, kind: 'resolved', text: `resolved after verified recovery: ${reason}` });
    await notify(incidentId, 'resolved', d.notifiers);
  };

  const r = await createRemediation(config, d.store, { onEvent, resolveIncident, ...(d.now ? { now: d.now } : {}), ...(d.sleep ? { sleep: d.sleep } : {}) });
  for (const e of r.errors) d.log.warn({ file: e.file, line: e.line, field: e.field }, `playbook not loaded: ${formatError(e)}`);
  d.log.info({ mode: config.mode, playbooks: r.playbooks.map((p) => p.name) }, `remediation ${config.mode}: ${r.playbooks.length} playbooks loaded from ${config.playbooksDir}`);

  return {
    ...r,
    runner: playbookRequester(r.service),
    async recommend(incident) {
      const best = r.service.recommend(incident, await incidentFacts(d.store, incident))[0];
      return best ? { name: best.playbook, title: best.title, reason: best.reason } : null;
    },
    async execute(job) {
      const run = await r.service.execute(job.runId);
      d.log.info({ run: job.runId, status: run.status }, `remediation run ${job.runId} is ${run.status}`);
    },
    async resume() {
      const stuck = (await d.store.listRuns({ limit: 200 })).filter((run) => run.status === 'approved' || run.status === 'running');
      for (const run of stuck) await enqueueRun(run);
      return stuck.length;
    },
  };
}

/**
 * wireRemediation for main.ts: null when remediation is off, and null (with
 * a warning) when the playbooks directory cannot be read, so Vigil runs on
 * without fixes rather than not at all.
 */
export async function remediationFromConfig(config: Config['remediation'], d: WireDeps): Promise<RemediationWiring | null> {
  if (config.mode === 'off') return null;
  try {
    return await wireRemediation(config, d);
  } catch (err) {
    d.log.warn({ dir: config.playbooksDir, err }, `remediation unavailable: cannot read the playbooks directory ${config.playbooksDir} (remediation.playbooksDir)`);
    return null;
  }
}
