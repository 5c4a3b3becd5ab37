/**
 * The shapes of what the root assembles (main.ts): an App (store, queue,
 * notifiers, remediation and the pipeline's deps, for the roles a process
 * runs), the Service `vigil start` runs and the Worker `vigil worker` runs.
 * Types only.
 */
import type { Config } from '../config/index.js';
import type { IncidentEvent } from '../incidents/index.js';
import type { Notifier } from '../notify/index.js';
import type { PlaybookRunner, SlackBot } from '../notify/slack/index.js';
import type { Logger, Metrics } from '../observability/index.js';
import type { PipelineDeps } from '../pipeline.js';
import type { Queue } from '../queue/index.js';
import type { Store } from '../store/index.js';
import type { RemediationWiring } from './remediation.js';

export interface AppOptions {
  /** Job kinds this process consumes. `vigil worker` runs pull only; notifiers live where their credentials are. */
  readonly consume: ReadonlyArray<'pull' | 'notify'>;
  /** Embedded store in memory instead of under dataDir (the demo starts clean). */
  readonly ephemeralStore?: boolean;
  /** Replaces the notifiers the config asks for (compose/notifiers.ts). */
  readonly notifiers?: readonly Notifier[];
  /** The console notifier among the configured ones (tests); unused with `notifiers`. */
  readonly consoleNotifier?: Notifier;
  /** Where the console notifier writes instead of stdout (the demo's own stream); unused with `notifiers` or `consoleNotifier`. */
  readonly consoleOut?: NodeJS.WritableStream & { isTTY?: boolean };
  /** The console notifier alone: no Slack, no SNS, no bot (the demo unless it notifies). */
  readonly consoleOnly?: boolean;
  /** What the Run playbook button and `/vigil run` call (default: remediation is not configured). */
  readonly runner?: PlaybookRunner;
  readonly log?: Logger;
  readonly onEvent?: (e: IncidentEvent) => void;
  /** Simulated seconds per real second of operations (the demo compresses time); default 1. */
  readonly timeScale?: number;
  /** Replaces config `queue.prefix` (the Redis key prefix of the BullMQ queues): isolates test runs. */
  readonly queuePrefix?: string;
  /**
   * Wall-clock ms between compactions of an embedded store (store/compaction.ts),
   * default COMPACT_EVERY_MS; null for none (runs on a virtual clock compact between their ticks).
   * Unused on PostgreSQL, which vacuums and checkpoints by itself.
   */
  readonly compactEveryMs?: number | null;
}

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly queue: Queue;
  readonly deps: PipelineDeps;
  /** The Slack bot when Slack is configured, this process consumes notify jobs and its notifiers come from the config; `vigil start` serves it. */
  readonly slack: SlackBot | null;
  /** Playbooks and fixes, in processes that consume notify jobs while remediation.mode is not off. */
  readonly remediation: RemediationWiring | null;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Embedded store in memory (tests). */
  readonly ephemeralStore?: boolean;
  readonly log?: Logger;
  /** Job kinds this process consumes (default pull and notify); `vigil bench pipeline` leaves pull jobs to worker processes. */
  readonly consume?: AppOptions['consume'];
  /** Replaces the configured notifiers (`vigil bench pipeline` records deliveries instead). */
  readonly notifiers?: AppOptions['notifiers'];
  /** AppOptions.compactEveryMs (`vigil bench pipeline --compact-every`: its data runs faster than the wall clock). */
  readonly compactEveryMs?: AppOptions['compactEveryMs'];
}

export interface Service {
  readonly app: App;
  /** Base URL of the HTTP server. */
  readonly url: string;
  /**
   * Settles once the Slack bot is up: at once in HTTP mode (or without
   * Slack); in Socket Mode when it connected, or gave up (logged). Never rejects.
   */
  readonly slackStarted: Promise<void>;
  /** Stops everything started, in order; the store and queue last. */
  stop(): Promise<void>;
}

export interface Worker {
  readonly app: App;
  /** Base URL of the metrics listener; null when worker.metricsPort is 0. */
  readonly metricsUrl: string | null;
  /** Closes the listener, lets running jobs finish, then closes queue and store. */
  stop(): Promise<void>;
}
