/**
 * Reports stalled jobs: one warning line naming the job, and one count in
 * vigil_jobs_stalled_total. A job stalls when its worker stopped mid-job
 * (kill -9, a crash, an event loop blocked past the job's lock); BullMQ then
 * runs it again, or fails it once it has stalled too often (the failure is
 * logged on its own by the failed-job handler).
 * Inputs: a queue's stalled events. Effects: a log line and a counter.
 */
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface StalledSource {
  onStalled(listener: (name: string, jobId: string) => void): void;
}

export function reportStalledJobs(queue: StalledSource, log: Logger, metrics: Pick<Metrics, 'jobStalled'>): void {
  queue.onStalled((name, jobId) => {
    metrics.jobStalled(name);
    log.warn(
      { job: name, jobId },
      `${name} job ${jobId} stalled: the worker running it stopped mid-job (killed, crashed or blocked); it runs again unless it stalled before`,
    );
  });
}
