/** One embedded store per test file, playbooks from inline YAML, and a runner with a controllable clock. */
import { randomUUID } from 'node:crypto';
import type { Incident } from '../../../src/domain/index.js';
import { createRemediationService, parsePlaybook, type RemediationDeps } from '../../../src/remediate/index.js';
import type { Playbook, RemediationMode, RunEvent } from '../../../src/remediate/types.js';
import type { Store } from '../../../src/store/index.js';
import { incident, T0 } from '../helpers.js';

export const uid = () => randomUUID().slice(0, 8);

const playbook = (yaml: string): Playbook => {
  const { playbook: p, errors } = parsePlaybook('inline.yaml', yaml);
  if (!p) throw new Error(errors.map((e) => `${e.line}: ${e.field}: ${e.message}`).join('\n'));
  return p;
};

const scaleSteps = `steps:
  - id: scale
    action: ecs.set-desired-count
    params: { cluster: production, service: "{{incident.service}}", count: 6 }
    revert:
      action: ecs.set-desired-count
      params: { cluster: production, service: "{{incident.service}}", count: 3 }
  - id: restart
    action: ecs.force-new-deployment
    params: { cluster: production, service: "{{incident.service}}" }
    onFailure: revert
`;

export const PLAYBOOKS: Playbook[] = [
  playbook(`name: scale
title: Scale
runbook: Scale it.
match: { services: ["*"] }
policy: { approval: one, approvers: { users: [U1, U2], groups: [oncall] } }
${scaleSteps}verify: { window: 10m, ifRecovered: resolve, ifNot: escalate }
`),
  playbook(`name: scale-two
title: Scale with two people
runbook: Scale it, carefully.
match: { services: ["*"] }
policy: { approval: two, approvers: { users: [U1, U2, U3] } }
${scaleSteps}`),
  playbook(`name: scale-self
title: Scale, requester may approve
runbook: Scale it.
match: { services: ["*"] }
policy: { approval: one, approvers: { users: [U1] }, selfApprove: true }
${scaleSteps}`),
  playbook(`name: watch
title: Watch
runbook: Watch it.
match: { services: ["*"] }
policy: { approval: auto }
steps:
  - id: watch
    action: wait-and-verify
    params: { window: 5m }
`),
];

export interface Harness {
  readonly deps: RemediationDeps;
  readonly service: ReturnType<typeof createRemediationService>;
  readonly events: RunEvent[];
  readonly resolved: string[];
  readonly incident: Incident;
  clock: number;
}

export async function harness(store: Store, mode: RemediationMode, over: Partial<Incident> = {}): Promise<Harness> {
  const inc = incident({ id: `inc-${uid()}`, service: `svc-${uid()}`, ...over });
  await store.openOrGetIncident(inc);
  const h = { events: [] as RunEvent[], resolved: [] as string[], incident: inc, clock: T0 } as Harness & {
    clock: number;
  };
  const deps: RemediationDeps = {
    store,
    playbooks: PLAYBOOKS,
    mode,
    awsRegion: 'eu-west-1',
    now: () => h.clock,
    sleep: async (ms) => {
      h.clock += ms;
    },
    onEvent: (e) => {
      h.events.push(e);
    },
    resolveIncident: async (id) => {
      h.resolved.push(id);
    },
  };
  return Object.assign(h, { deps, service: createRemediationService(deps) });
}
