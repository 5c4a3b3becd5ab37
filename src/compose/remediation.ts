/**
 * Remediation as the root assembles it (main.ts): loads the playbooks (an
 * invalid one is logged with its file, line and field; the valid ones load),
 * builds the RemediationService from the `remediation` config, and connects
 * it to the queue (remediate/jobs.ts) and to incidents: verified recovery
 * under `ifRecovered: resolve` resolves the incident (incidents/operations.ts)
 * and announces it to every notifier.
 * Effects: reads the playbooks directory. Failure modes: an unreadable
 * playbooks directory rejects wireRemediation; remediationFromConfig logs it
 * and runs on without fixes.
 */
import type { Config } from '../config/index.js';
import type { Incident } from '../domain/index.js';
import { resolveIncident } from '../incidents/index.js';
import type { Queue } from '../queue/index.js';
import {
  announce,
  createRemediationService,
  executeRunJob,
  formatError,
  incidentFacts,
  loadPlaybooks,
  onRunEvent,
  playbookRequester,
  resumeRuns,
  type Playbook,
  type PlaybookError,
  type RemediationDeps,
  type RemediationService,
} from '../remediate/index.js';
import type { Store } from '../store/index.js';

export interface Remediation {
  readonly service: RemediationService;
  readonly playbooks: readonly Playbook[];
  readonly errors: readonly PlaybookError[];
}

/** Loads the playbooks directory and builds the service; invalid playbooks come back as errors while the valid ones load. */
export async function createRemediation(
  config: Config['remediation'],
  store: Store,
  hooks: Pick<RemediationDeps, 'onEvent' | 'resolveIncident' | 'now' | 'sleep'> = {},
): Promise<Remediation> {
  const { playbooks, errors } = await loadPlaybooks(config.playbooksDir);
  const service = createRemediationService({
    store,
    playbooks,
    mode: config.mode,
    awsRegion: config.awsRegion,
    webhookHosts: config.webhookHosts,
    localCommands: config.localCommands,
    ...hooks,
  });
  return { service, playbooks, errors };
}

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
  const jobs = { queue: d.queue, store: d.store, log: d.log, progressTo: d.progressTo };
  const resolveRecovered = async (incidentId: string, reason: string) => {
    const r = await resolveIncident({ store: d.store, now }, incidentId, `resolved after verified recovery: ${reason}`);
    if (r.status === 'done') await announce(d.queue, incidentId, 'resolved', d.notifiers);
  };

  const r = await createRemediation(config, d.store, {
    onEvent: onRunEvent(jobs),
    resolveIncident: resolveRecovered,
    ...(d.now ? { now: d.now } : {}),
    ...(d.sleep ? { sleep: d.sleep } : {}),
  });
  for (const e of r.errors)
    d.log.warn({ file: e.file, line: e.line, field: e.field }, `playbook not loaded: ${formatError(e)}`);
  d.log.info(
    { mode: config.mode, playbooks: r.playbooks.map((p) => p.name) },
    `remediation ${config.mode}: ${r.playbooks.length} playbooks loaded from ${config.playbooksDir}`,
  );

  return {
    ...r,
    runner: playbookRequester(r.service),
    async recommend(incident) {
      const best = r.service.recommend(incident, await incidentFacts(d.store, incident))[0];
      return best ? { name: best.playbook, title: best.title, reason: best.reason } : null;
    },
    execute: (job) => executeRunJob(d, r.service, job),
    resume: () => resumeRuns(jobs),
  };
}

/**
 * wireRemediation for main.ts: null when remediation is off, and null (with
 * a warning) when the playbooks directory cannot be read, so Vigil runs on
 * without fixes rather than not at all.
 */
export async function remediationFromConfig(
  config: Config['remediation'],
  d: WireDeps,
): Promise<RemediationWiring | null> {
  if (config.mode === 'off') return null;
  try {
    return await wireRemediation(config, d);
  } catch (err) {
    d.log.warn(
      { dir: config.playbooksDir, err },
      `remediation unavailable: cannot read the playbooks directory ${config.playbooksDir} (remediation.playbooksDir)`,
    );
    return null;
  }
}
