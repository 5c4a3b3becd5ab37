/**
 * The notify stage of a pull job: one notify job per incident event and
 * notifier (so a retry never re-sends to the others), one verdict job per
 * deploy verdict and notifier that announces verdicts. Job ids are
 * deterministic: a retried pull queues nothing twice. Effects: queue.enqueue;
 * `onEvent` is called after an event's jobs are queued.
 */
import type { DeployVerdict } from '../domain/index.js';
import type { IncidentEvent } from '../incidents/index.js';
import type { GroupEvents, PipelineDeps, Stage } from './types.js';

export const notifyEvents: Stage<GroupEvents, GroupEvents> = async (input, deps) => {
  for (const e of input.events) await publish(e, deps);
  return input;
};

export async function publish(e: IncidentEvent, deps: PipelineDeps): Promise<void> {
  for (const n of deps.notifiers) {
    const jobId =
      `notify_${e.incident.id}_${e.kind}_${e.incident.lastAnomalyAt}_${e.incident.anomalyCount}_${n.name}`.replace(
        /[^\w.-]/g,
        '_',
      );
    await deps.queue.enqueue(
      'notify',
      { incidentId: e.incident.id, event: e.kind, notifier: n.name },
      { jobId, attempts: 5 },
    );
  }
  deps.onEvent?.(e);
}

export async function publishVerdict(v: DeployVerdict, deps: PipelineDeps): Promise<void> {
  deps.log.info({ deployment: v.deploymentId, service: v.service, outcome: v.outcome }, `deploy verdict: ${v.summary}`);
  for (const n of deps.notifiers) {
    if (!n.sendVerdict) continue;
    const jobId = `verdict_${v.deploymentId}_${v.decidedAt}_${n.name}`.replace(/[^\w.-]/g, '_');
    await deps.queue.enqueue('verdict', { deploymentId: v.deploymentId, notifier: n.name }, { jobId, attempts: 5 });
  }
}
