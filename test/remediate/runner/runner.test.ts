/**
 * The runner on an embedded PGlite store: plans, policy, modes, idempotent
 * execution after crashes and retries, one fix per service, and the audit
 * trail. AWS calls go to aws-sdk-client-mock.
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../../src/config/index.js';
import { createRemediation } from '../../../src/compose/remediation.js';
import { playbookRequester, runText } from '../../../src/remediate/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { T0 } from '../helpers.js';
import { harness } from './fixture.js';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
const ecs = mockClient(ECSClient);
let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
});
beforeEach(() => {
  ecs.reset();
  ecs.on(UpdateServiceCommand).resolves({ service: { desiredCount: 6 } });
});

const U1 = { id: 'U1', groups: [] };
const U2 = { id: 'U2', groups: [] };
const ONCALL = { id: 'U9', groups: ['oncall'] };
const auditOf = async (runId: string) =>
  (await store.listAudit({ limit: 1000 })).filter((a) => a.params.runId === runId).reverse();

describe('plan', () => {
  it('resolves placeholders, shows every step, stores the run awaiting approval and audits it', async () => {
    const h = await harness(store, 'on');
    const plan = await h.service.plan(h.incident.id, 'scale', 'U7');
    expect(plan).toMatchObject({
      status: 'awaiting_approval',
      service: h.incident.service,
      mode: 'on',
      approval: 'one',
      expiresAt: T0 + 1_800_000,
    });
    expect(plan.steps.map((s) => [s.id, s.effect, s.params])).toEqual([
      ['scale', 'write', { cluster: 'production', service: h.incident.service, count: 6 }],
      ['restart', 'write', { cluster: 'production', service: h.incident.service }],
    ]);
    expect(plan.steps[0]!.lines).toEqual([
      `set the desired task count of ECS service production/${h.incident.service} to 6`,
    ]);
    expect(await auditOf(plan.runId)).toEqual([
      expect.objectContaining({
        actor: 'slack:U7',
        action: 'remediation.plan',
        result: 'planned',
        target: h.incident.service,
      }),
    ]);
    expect((await store.timeline(h.incident.id)).map((t) => t.kind)).toContain('action');
    expect(h.events.map((e) => e.type)).toEqual(['planned']);
  });

  it('a hostile service name from incident data is refused at plan time and nothing is stored', async () => {
    const h = await harness(store, 'on', { service: `web; rm -rf / ${Math.random()}` });
    await expect(h.service.plan(h.incident.id, 'scale', 'U7')).rejects.toMatchObject({
      code: 'E_REMEDIATION_PARAMS',
      message: expect.stringContaining('params.service'),
    });
    expect(await store.listRuns({ incidentId: h.incident.id })).toEqual([]);
  });

  it('at most one active run per service: a second plan is E_REMEDIATION_BUSY', async () => {
    const h = await harness(store, 'on');
    const first = await h.service.plan(h.incident.id, 'scale', 'U7');
    await expect(h.service.plan(h.incident.id, 'scale-two', 'U7')).rejects.toMatchObject({
      code: 'E_REMEDIATION_BUSY',
      message: expect.stringContaining(first.runId),
    });
  });

  it('mode off refuses to plan or execute', async () => {
    const h = await harness(store, 'off');
    await expect(h.service.plan(h.incident.id, 'scale', 'U7')).rejects.toMatchObject({ code: 'E_REMEDIATION_OFF' });
  });
});

describe('policy', () => {
  it('an approver not on the list is refused, and the refusal is audited', async () => {
    const h = await harness(store, 'on');
    const { runId } = await h.service.plan(h.incident.id, 'scale', 'U7');
    await expect(h.service.approve(runId, { id: 'U5', groups: ['devs'] })).rejects.toMatchObject({
      code: 'E_REMEDIATION_FORBIDDEN',
      message: expect.stringContaining('not an approver'),
    });
    expect((await h.service.get(runId))?.status).toBe('awaiting_approval');
    expect(await auditOf(runId)).toContainEqual(
      expect.objectContaining({
        actor: 'slack:U5',
        action: 'remediation.approve',
        result: 'refused',
        detail: '<@U5> is not an approver of playbook scale',
      }),
    );
    expect((await h.service.approve(runId, ONCALL)).status).toBe('approved');
  });

  it('under a two-person policy one person cannot approve twice; a second person completes it', async () => {
    const h = await harness(store, 'on');
    const { runId } = await h.service.plan(h.incident.id, 'scale-two', 'U7');
    expect((await h.service.approve(runId, U1)).status).toBe('awaiting_approval');
    await expect(h.service.approve(runId, U1)).rejects.toMatchObject({
      code: 'E_REMEDIATION_FORBIDDEN',
      message: expect.stringContaining('already'),
    });
    await expect(h.service.execute(runId)).rejects.toMatchObject({ code: 'E_REMEDIATION_STATE' });
    const done = await h.service.approve(runId, U2);
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a) => a.userId)).toEqual(['U1', 'U2']);
  });

  it('the requester approves their own run only when the policy says selfApprove', async () => {
    const h = await harness(store, 'on');
    const a = await h.service.plan(h.incident.id, 'scale', 'U1');
    await expect(h.service.approve(a.runId, U1)).rejects.toMatchObject({
      message: expect.stringContaining('cannot approve it'),
    });
    await h.service.reject(a.runId, U1, 'wrong playbook');
    const b = await h.service.plan(h.incident.id, 'scale-self', 'U1');
    expect((await h.service.approve(b.runId, U1)).status).toBe('approved');
  });

  it('auto approval: a read-only playbook is approved at plan time and no person can approve it', async () => {
    const h = await harness(store, 'on');
    const plan = await h.service.plan(h.incident.id, 'watch', 'U7');
    expect(plan.status).toBe('approved');
    await expect(h.service.approve(plan.runId, ONCALL)).rejects.toMatchObject({ code: 'E_REMEDIATION_STATE' });
    expect(await auditOf(plan.runId)).toContainEqual(
      expect.objectContaining({ actor: 'policy:auto', action: 'remediation.approve' }),
    );
  });

  it('an unapproved run expires after the policy timeout', async () => {
    const h = await harness(store, 'on');
    const { runId } = await h.service.plan(h.incident.id, 'scale', 'U7');
    h.clock += 1_800_000;
    await expect(h.service.approve(runId, ONCALL)).rejects.toMatchObject({
      code: 'E_REMEDIATION_STATE',
      message: expect.stringContaining('expired'),
    });
  });

  it('a rejected run never executes', async () => {
    const h = await harness(store, 'on');
    const { runId } = await h.service.plan(h.incident.id, 'scale', 'U7');
    await h.service.approve(runId, ONCALL);
    const r = await h.service.reject(runId, U2, 'the owners are on it');
    expect(r).toMatchObject({ status: 'rejected', outcome: 'rejected by <@U2>: the owners are on it' });
    expect((await h.service.execute(runId)).status).toBe('rejected');
    expect(ecs.calls()).toHaveLength(0);
  });

  it('approving or rejecting a finished run is refused, and the refusal is audited with the actor written slack:<id>', async () => {
    const h = await harness(store, 'dry-run');
    const { runId } = await h.service.plan(h.incident.id, 'scale', 'U7');
    await h.service.approve(runId, ONCALL);
    expect((await h.service.execute(runId)).status).toBe('succeeded');
    await expect(h.service.approve(runId, U2)).rejects.toMatchObject({
      code: 'E_REMEDIATION_STATE',
      message: `run ${runId} is succeeded, not awaiting approval`,
    });
    await expect(h.service.reject(runId, U2, 'too late')).rejects.toMatchObject({ code: 'E_REMEDIATION_STATE' });
    const refused = (await auditOf(runId)).filter((a) => a.result === 'refused');
    expect(refused.map((a) => [a.actor, a.action])).toEqual([
      ['slack:U2', 'remediation.approve'],
      ['slack:U2', 'remediation.reject'],
    ]);
    const people = (await auditOf(runId))
      .filter((a) => a.actor !== 'vigil' && a.actor !== 'policy:auto')
      .map((a) => a.actor);
    expect(people.every((a) => a.startsWith('slack:'))).toBe(true);
  });
});

describe('for Slack and main.ts', () => {
  it('playbookRequester answers with the dry-run plan, then with why a second request was not planned', async () => {
    const h = await harness(store, 'dry-run');
    const runner = playbookRequester(h.service);
    const planned = await runner.requestRun(h.incident.id, 'scale-two', 'U7');
    if (typeof planned === 'string') throw new Error(`not planned: ${planned}`);
    const [stored] = await store.listRuns({ incidentId: h.incident.id });
    expect(planned).toMatchObject({ runId: stored!.plan.runId, awaitingApproval: true });
    const { text } = planned;
    expect(text).toContain('DRY RUN');
    expect(text).toContain('needs 2 different approvers from <@U1>, <@U2>, <@U3>');
    expect(text).toContain(`1. set the desired task count of ECS service production/${h.incident.service} to 6`);
    expect(await runner.requestRun(h.incident.id, 'scale', 'U7')).toMatch(
      /^Playbook "scale" was not planned: service .* already has an active fix/,
    );
    expect(await runner.requestRun(h.incident.id, 'nope', 'U7')).toMatch(
      /^Playbook "nope" was not planned: no playbook named nope/,
    );
    const [run] = await store.listRuns({ incidentId: h.incident.id });
    expect(runText(run!)).toMatch(/^Run `.*` \(scale-two\): awaiting approval/);
  });

  it('playbookRequester.decide: refusals resolve with ok false and say why; approvals report whether the run is still open', async () => {
    const h = await harness(store, 'dry-run');
    const runner = playbookRequester(h.service);
    const { runId } = await h.service.plan(h.incident.id, 'scale-two', 'U7');
    expect(await runner.decide(runId, 'approve', { id: 'U5', groups: [] })).toMatchObject({
      ok: false,
      open: true,
      text: expect.stringContaining('<@U5> is not an approver'),
    });
    expect(await runner.decide(runId, 'approve', U1)).toMatchObject({
      ok: true,
      open: true,
      plan: expect.stringContaining('needs 2 different approvers'),
    });
    expect(await runner.decide(runId, 'approve', U1)).toMatchObject({
      ok: false,
      open: true,
      text: expect.stringContaining('approved this run already'),
    });
    expect(await runner.decide(runId, 'approve', U2)).toMatchObject({
      ok: true,
      open: false,
      text: expect.stringMatching(/: approved$/m),
    });
    expect(await runner.decide('no-such-run', 'reject', U1)).toEqual({
      ok: false,
      open: false,
      text: 'Not rejected: no remediation run no-such-run',
    });
  });

  it('createRemediation loads the configured playbooks and plans with the configured mode', async () => {
    const h = await harness(store, 'dry-run');
    // playbooksDir defaults to the shipped playbooks/, whatever the working directory.
    const config = loadConfig({ VIGIL_REMEDIATION: 'on' }, tmpdir()).remediation;
    const r = await createRemediation(config, store);
    expect(r.errors).toEqual([]);
    expect(r.playbooks.length).toBeGreaterThanOrEqual(8);
    const plan = await r.service.plan(h.incident.id, 'memory-leak-rolling-restart', 'U7');
    expect(plan).toMatchObject({
      mode: 'on',
      status: 'awaiting_approval',
      steps: [{ action: 'ecs.force-new-deployment', params: { cluster: 'production', service: h.incident.service } }],
    });
  });
});
