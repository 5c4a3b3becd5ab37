/**
 * The whole flow, assembled here and nowhere else (DESIGN.md), from stages
 * of one signature, `(input, deps) => Promise<output>` (src/stages/types.ts):
 *
 *   pull job ─► (page by page) pull ─► score ─► group ─┬─► lifecycle ─► alerts ─► attribute ─► notify ─► verdicts
 *                                       │   (each group in turn; lifecycle to attribute under its lock)
 *            ◄──────────────────────────┘
 *            ─► commit (with the query's cursor when it can) ─► attribute neighbours ─► cursor
 *   notify job ─► one notifier ─► deliver
 *   verdict job ─► one notifier ─► deliver verdict
 *
 * Contracts of a pull job:
 * - One bad series is logged and skipped; it never stops the other series,
 *   and it never moves the query's cursor: the next pull reads its range
 *   again (series that did score skip the points they already scored).
 * - A series counts as scored (its detector state and cursor saved) only
 *   after its group's incidents took its anomalies; a group that fails keeps
 *   its series unscored and the cursor where it was.
 * - One group's lifecycle and attribution run one batch at a time in this
 *   process; with co-onset grouping on, every group takes one global lock.
 * Policy lives in the stages' folders (src/incidents, src/correlate); this
 * file only says in which order they run. main.ts picks the implementations.
 */
import {
  attributeChanged,
  commitScores,
  deliver,
  deliverVerdict,
  eachGroup,
  fetchSeries,
  groupByService,
  joinAlerts,
  judgeDeploys,
  locked,
  moveCursor,
  notifyEvents,
  rerankNeighbours,
  runLifecycle,
  scoreBatch,
  type PipelineDeps,
  type PullJob,
} from './stages/index.js';
import type { JobPayloads } from './queue/types.js';

export type { PipelineDeps } from './stages/index.js';

/**
 * Handles one pull job: page after page while its source has more waiting
 * (SourcePage; the push source), until the series its first page found
 * waiting are served. A page with a failed series ends the job: that series
 * is the longest waiting, and the next job retries it.
 */
export async function pull(job: PullJob, deps: PipelineDeps): Promise<{ points: number; anomalies: number }> {
  const total = { points: 0, anomalies: 0 };
  let waiting: number | undefined;
  for (;;) {
    const page = await pullPage(job, deps);
    total.points += page.points;
    total.anomalies += page.anomalies;
    waiting = (waiting ?? page.pendingSeries) - page.series;
    if (!page.more || waiting <= 0) return total;
  }
}

/** One page of a pull job: every stage once. */
async function pullPage(job: PullJob, deps: PipelineDeps): ReturnType<typeof moveCursor> {
  const fetched = await fetchSeries(job, deps);
  const scored = await scoreBatch(fetched, deps);
  const grouped = await groupByService(scored, deps);
  const settled = await eachGroup(grouped, deps, async (group) => {
    const events = await locked(group.key, deps, async () => {
      const changed = await joinAlerts(await runLifecycle(group, deps), deps);
      return attributeChanged(changed, deps);
    });
    return judgeDeploys(await notifyEvents(events, deps), deps);
  });
  const committed = await commitScores(settled, deps);
  await rerankNeighbours(committed, deps);
  return moveCursor(committed, deps);
}

/** Handles one notify job. */
export async function notify(job: JobPayloads['notify'], deps: PipelineDeps): Promise<void> {
  const notifier = deps.notifiers.find((n) => n.name === job.notifier);
  if (!notifier) {
    deps.log.warn({ notifier: job.notifier }, 'notify job for a notifier this process does not run; dropped');
    return;
  }
  try {
    await deliver(deps.store, notifier, job.incidentId, job.event, {
      log: deps.log,
      ignoreSilences: job.ignoreSilences === true,
      ...(deps.recommend ? { recommend: deps.recommend } : {}),
    });
    deps.metrics.notification(notifier.name, true);
  } catch (err) {
    deps.metrics.notification(notifier.name, false);
    throw err;
  }
}

/** Handles one verdict job. */
export async function notifyVerdict(job: JobPayloads['verdict'], deps: PipelineDeps): Promise<void> {
  const notifier = deps.notifiers.find((n) => n.name === job.notifier);
  if (!notifier) {
    deps.log.warn({ notifier: job.notifier }, 'verdict job for a notifier this process does not run; dropped');
    return;
  }
  await deliverVerdict(deps.store, notifier, job.deploymentId);
}
