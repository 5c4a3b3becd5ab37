/** Public surface of remediation: the service, the playbook loader, and the types. */
export type * from './types.js';
export { ACTIVE_RUN_STATUSES } from './types.js';
export { createRemediationService } from './service.js';
export type { RemediationDeps } from './runner/deps.js';
export { loadPlaybooks, parsePlaybook, formatError, type PlaybookError, type LoadedPlaybooks } from './playbook/load.js';
export { playbookSchema, playbookJsonSchema } from './playbook/schema.js';
export { recommend } from './recommend.js';
export { createRemediation, type Remediation } from './setup.js';
export { planText, runText, playbookRequester } from './describe.js';
export { remediationFromConfig, wireRemediation, type RemediationWiring, type WireDeps } from './wire.js';
