/** Public surface of remediation: the service (runner/), the playbook loader, recommending, run jobs, and the types. */
export type * from './types.js';
export { ACTIVE_RUN_STATUSES } from './types.js';
export { createRemediationService } from './runner/index.js';
export type { RemediationDeps } from './runner/deps.js';
export {
  loadPlaybooks,
  parsePlaybook,
  formatError,
  type PlaybookError,
  type LoadedPlaybooks,
} from './playbook/load.js';
export { playbookSchema, playbookJsonSchema, type Playbook } from './playbook/schema.js';
export { isRollback, recommend } from './recommend.js';
export { incidentFacts } from './facts.js';
export { planText, runText, playbookRequester } from './describe.js';
export { announce, enqueueRun, executeRunJob, onRunEvent, resumeRuns, type RunJobsDeps } from './jobs.js';
