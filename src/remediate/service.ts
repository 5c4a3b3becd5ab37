/**
 * The RemediationService: recommend, plan, approve, reject, execute, get.
 * Composes runner/*; see each for effects and failure modes.
 */
import { recommend } from './recommend.js';
import { approveRun, rejectRun } from './runner/approve.js';
import type { RemediationDeps } from './runner/deps.js';
import { executeRun } from './runner/execute.js';
import { planRun } from './runner/plan.js';
import type { RemediationService } from './types.js';

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
