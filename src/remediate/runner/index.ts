/**
 * The runner's public surface, the RemediationService: recommend, plan,
 * approve, reject, execute, get over the deps it is given (deps.ts). See
 * plan.ts, approve.ts and execute.ts for effects and failure modes.
 */
import { recommend } from '../recommend.js';
import type { RemediationService } from '../types.js';
import { approveRun, rejectRun } from './approve.js';
import type { RemediationDeps } from './deps.js';
import { executeRun } from './execute.js';
import { planRun } from './plan.js';

export function createRemediationService(deps: RemediationDeps): RemediationService {
  return {
    recommend: (incident, facts) => recommend(deps.playbooks, incident, facts),
    plan: (incidentId, playbook, requestedBy) => planRun(deps, incidentId, playbook, requestedBy),
    approve: (runId, user) => approveRun(deps, runId, user),
    reject: (runId, user, reason) => rejectRun(deps, runId, user, reason),
    execute: (runId) => executeRun(deps, runId),
    get: (runId) => deps.store.getRun(runId),
  };
}
