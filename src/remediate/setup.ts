/**
 * One call for main.ts: loads the playbooks directory and builds the
 * RemediationService from the `remediation` config. Effects: reads the
 * playbooks directory. Invalid playbooks are returned as errors (for the log)
 * while the valid ones load; an unreadable directory rejects.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { loadPlaybooks, type PlaybookError } from './playbook/load.js';
import type { Playbook } from './playbook/schema.js';
import type { RemediationDeps } from './runner/deps.js';
import { createRemediationService } from './service.js';
import type { RemediationService } from './types.js';

export interface Remediation {
  readonly service: RemediationService;
  readonly playbooks: readonly Playbook[];
  readonly errors: readonly PlaybookError[];
}

export async function createRemediation(
  config: Config['remediation'], store: Store, hooks: Pick<RemediationDeps, 'onEvent' | 'resolveIncident' | 'now' | 'sleep'> = {},
): Promise<Remediation> {
  const { playbooks, errors } = await loadPlaybooks(config.playbooksDir);
  const service = createRemediationService({
    store, playbooks, mode: config.mode, awsRegion: config.awsRegion,
    webhookHosts: config.webhookHosts, localCommands: config.localCommands, ...hooks,
  });
  return { service, playbooks, errors };
}
