/**
 * Conformance of the RemediationStore port: one active run per service,
 * compare-and-set transitions with leases, one approval per person, and
 * step idempotency keys claimed once. Every Store implementation runs it.
 */
import type { RunPlan } from '../../src/remediate/types.js';
import type { Store } from '../../src/store/index.js';
import { uid } from './fixtures.js';

export function runPlan(over: Partial<RunPlan> = {}): RunPlan {
  return {
    runId: `run-${uid()}`,
    incidentId: `inc-${uid()}`,
    service: `svc-${uid()}`,
    playbook: 'cpu-scale-out',
    title: 'Scale out',
    runbook: '# Scale out',
    mode: 'dry-run',
    approval: 'one',
    requestedBy: 'U1',
    status: 'awaiting_approval',
    expiresAt: 10_000,
    policy: { approval: 'one', approvers: { users: ['U2'], groups: [] }, selfApprove: false, timeout: '30m' },
    verify: null,
    steps: [
      {
        id: 'scale',
        action: 'ecs.set-desired-count',
        effect: 'write',
        lines: ['set desired count of web to 4'],
        params: { cluster: 'c', service: 'web', count: 4 },
        timeoutMs: 300_000,
        onFailure: 'stop',
      },
    ],
    ...over,
  };
}

export function remediationConformance(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store conformance (remediation): ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    test('a run round-trips; a second active run for the service is E_REMEDIATION_BUSY naming the first', async () => {
      const plan = runPlan();
      await store.createRun(plan, 1000);
      const got = await store.getRun(plan.runId);
      expect(got).toMatchObject({
        plan,
        status: 'awaiting_approval',
        approvals: [],
        steps: [],
        outcome: null,
        leaseUntil: null,
        updatedAt: 1000,
      });
      await expect(store.createRun(runPlan({ service: plan.service }), 2000)).rejects.toMatchObject({
        code: 'E_REMEDIATION_BUSY',
        message: expect.stringContaining(plan.runId),
      });
      expect(await store.getRun(`run-${uid()}`)).toBeNull();
    });

    test('an unapproved run past its expiry frees the service; a finished run does too', async () => {
      const plan = runPlan({ expiresAt: 5000 });
      await store.createRun(plan, 1000);
      const next = runPlan({ service: plan.service });
      await store.createRun(next, 5000);
      expect((await store.getRun(plan.runId))?.status).toBe('expired');
      expect(
        await store.transitionRun(next.runId, ['awaiting_approval'], 'rejected', { now: 6000, outcome: 'no' }),
      ).toBe(true);
      await store.createRun(runPlan({ service: plan.service }), 7000);
      expect((await store.listRuns({ service: plan.service })).map((r) => r.status)).toEqual([
        'awaiting_approval',
        'rejected',
        'expired',
      ]);
    });

    test('concurrent creates for one service: exactly one wins', async () => {
      const service = `svc-${uid()}`;
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => store.createRun(runPlan({ service }), 1000)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    test('transitions are compare-and-set and honour the lease', async () => {
      const plan = runPlan({ status: 'approved' });
      await store.createRun(plan, 1000);
      expect(await store.transitionRun(plan.runId, ['awaiting_approval'], 'running', { now: 2000 })).toBe(false);
      expect(await store.transitionRun(plan.runId, ['approved'], 'running', { now: 2000, leaseUntil: 9000 })).toBe(
        true,
      );
      expect(await store.transitionRun(plan.runId, ['approved'], 'running', { now: 2001, leaseUntil: 9000 })).toBe(
        false,
      );
      expect(await store.transitionRun(plan.runId, ['running'], 'escalated', { now: 3000, leaseBefore: 3000 })).toBe(
        false,
      );
      expect(
        await store.transitionRun(plan.runId, ['running'], 'escalated', {
          now: 9500,
          leaseBefore: 9500,
          outcome: 'crashed',
          leaseUntil: null,
        }),
      ).toBe(true);
      expect(await store.getRun(plan.runId)).toMatchObject({
        status: 'escalated',
        outcome: 'crashed',
        leaseUntil: null,
        updatedAt: 9500,
      });
    });

    test('one approval per person', async () => {
      const plan = runPlan();
      await store.createRun(plan, 1000);
      expect(await store.addApproval(plan.runId, { userId: 'U1', at: 1100, groups: ['S1'] })).toBe(true);
      expect(await store.addApproval(plan.runId, { userId: 'U1', at: 1200, groups: [] })).toBe(false);
      expect(await store.addApproval(plan.runId, { userId: 'U2', at: 1300, groups: [] })).toBe(true);
      expect((await store.getRun(plan.runId))?.approvals).toEqual([
        { userId: 'U1', at: 1100 },
        { userId: 'U2', at: 1300 },
      ]);
    });

    test('a step key is claimed once; the second claim sees the stored execution', async () => {
      const plan = runPlan();
      await store.createRun(plan, 1000);
      const exec = {
        runId: plan.runId,
        stepId: 'scale',
        idempotencyKey: `${plan.runId}/scale`,
        action: 'ecs.set-desired-count',
        status: 'running' as const,
        startedAt: 2000,
        finishedAt: null,
        summary: null,
      };
      const claims = await Promise.all([store.claimStep(exec), store.claimStep(exec)]);
      expect(claims.filter((c) => c === null)).toHaveLength(1);
      expect(claims.find((c) => c !== null)).toEqual(exec);
      await store.finishStep(exec.idempotencyKey, 'ok', 'desired count 4', 2500);
      expect((await store.getRun(plan.runId))?.steps).toEqual([
        { ...exec, status: 'ok', summary: 'desired count 4', finishedAt: 2500 },
      ]);
    });
  });
}
