/**
 * The Slack adapter's seams: how incidents are routed to channels, the
 * playbook runner the buttons and `/vigil run` call (src/remediate provides
 * one; the default says remediation is not configured), and the recommended
 * playbook shown on a post.
 */
import type { Severity } from '../../domain/index.js';

/** First matching route wins; an incident below every matching route's minSeverity goes to the default channel. */
export interface SlackRoute {
  /** Glob over the service name: `*` any run of characters, `?` one. */
  readonly service: string;
  readonly minSeverity: Severity;
  readonly channel: string;
}

export interface PlaybookRunner {
  /** Asks for a run of `playbook` on an incident (approval flows live behind it); resolves with a message for the user. */
  requestRun(incidentId: string, playbook: string, user: string): Promise<string>;
}

export const unconfiguredRunner: PlaybookRunner = {
  async requestRun(_incidentId, playbook) {
    return `Remediation is not configured in this Vigil, so playbook "${playbook}" was not run. See README, Remediation.`;
  },
};

/** Slack's documented limits that the renderer respects. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  buttonValue: 2000,
  buttonText: 75,
  headerText: 150,
  fallbackText: 4000,
  contextText: 3000,
  fieldText: 2000,
} as const;

/** Action ids of the buttons on incident posts. */
export const ACTIONS = {
  ack: 'vigil_ack',
  resolve: 'vigil_resolve',
  silence: 'vigil_silence_1h',
  notAnomaly: 'vigil_not_anomaly',
  unfeedback: 'vigil_unfeedback',
  runPlaybook: 'vigil_run_playbook',
} as const;

/** What a button carries (JSON in its value, within LIMITS.buttonValue). */
export interface ButtonValue {
  readonly incidentId: string;
  readonly playbook?: string;
  readonly feedbackId?: string;
}
