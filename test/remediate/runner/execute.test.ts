/**
 * Execution on an embedded PGlite store: modes, verification, failure
 * handling, and the guarantee that no fix runs twice — not on a retried
 * job, not on concurrent executors, not after a crash mid-step.
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { parsePlaybook } from '../../../src/remediate/index.js';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import type { Action } from '../../../src/remediate/types.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident } from '../helpers.js';
import { harness, uid, type Harness } from './fixture.js';

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

const ONCALL = { id: 'U9', groups: ['oncall'] };
const ecsInputs = () => ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);
const auditOf = async (runId: string) =>
  (await store.listAudit({ limit: 1000 })).filter((a) => a.params.runId === runId).reverse();

async function approved(h: Harness, playbook = 'scale'): Promise<string> {
  const { runId } = await h.service.plan(h.incident.id, playbook, 'U7');
  await h.service.approve(runId, ONCALL);
  return runId;
}

describe('modes', () => {
  it('dry-run plans and audits the write steps but never calls AWS', async () => {
    const h = await harness(store, 'dry-run');
    const runId = await approved(h);
    const run = await h.service.execute(runId);
    expect(ecs.calls()).toHaveLength(0);
    expect(run).toMatchObject({
      status: 'succeeded',
      outcome: expect.stringContaining('dry run: 2 write steps planned'),
    });
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['scale', 'planned'],
      ['restart', 'planned'],
    ]);
    const steps = (await auditOf(runId)).filter((a) => a.action.startsWith('ecs.'));
    expect(steps.map((a) => [a.action, a.result])).toEqual([
      ['ecs.set-desired-count', 'planned'],
      ['ecs.force-new-deployment', 'planned'],
    ]);
  });

  it('a plan made in dry-run stays dry even if the mode is on when it executes', async () => {
    const dry = await harness(store, 'dry-run');
    const runId = await approved(dry);
    const on = await harness(store, 'on');
    const run = await on.service.execute(runId);
    expect(ecs.calls()).toHaveLength(0);
    expect(run.status).toBe('succeeded');
  });

  it('on: runs every step once, verifies, resolves, and audits each step with params, result and timing', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    const run = await h.service.execute(runId);
    expect(ecsInputs()).toEqual([
      { cluster: 'production', service: h.incident.service, desiredCount: 6 },
      { cluster: 'production', service: h.incident.service, forceNewDeployment: true },
    ]);
    expect(run).toMatchObject({ status: 'succeeded', outcome: expect.stringContaining('recovered'), leaseUntil: null });
    expect(run.steps.map((s) => [s.stepId, s.status, s.idempotencyKey])).toEqual([
      ['scale', 'ok', `${runId}/scale`],
      ['restart', 'ok', `${runId}/restart`],
      ['verify:final', 'ok', `${runId}/verify:final`],
    ]);
    expect(h.resolved).toEqual([h.incident.id]);
    const audit = await auditOf(runId);
    expect(audit.map((a) => [a.actor, a.action, a.result])).toEqual([
      ['slack:U7', 'remediation.plan', 'planned'],
      ['slack:U9', 'remediation.approve', 'ok'],
      ['vigil', 'ecs.set-desired-count', 'ok'],
      ['vigil', 'ecs.force-new-deployment', 'ok'],
      ['vigil', 'wait-and-verify', 'ok'],
      ['vigil', 'remediation.finish', 'ok'],
    ]);
    expect(audit[2]).toMatchObject({
      target: h.incident.service,
      params: {
        runId,
        stepId: 'scale',
        stepParams: { cluster: 'production', service: h.incident.service, count: 6 },
        durationMs: expect.any(Number),
      },
      detail: expect.stringContaining('desired count'),
    });
    expect(h.events.map((e) => e.type)).toEqual(['planned', 'approved', 'step', 'step', 'step', 'finished']);
  });

  it('not recovered: escalates as the playbook says', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    const sleep = h.deps.sleep!;
    Object.assign(h.deps, {
      sleep: async (ms: number, signal: AbortSignal) => {
        await sleep(ms, signal);
        await store.insertAnomalies([
          {
            seriesKey: h.incident.seriesKeys[0]!,
            service: h.incident.service,
            metric: 'http_5xx_rate',
            t: h.clock - 1,
            observed: 9,
            expected: 1,
            band: [0, 2],
            score: 0.9,
            kind: 'level_shift',
          },
        ]);
      },
    });
    const run = await h.service.execute(runId);
    expect(run).toMatchObject({ status: 'escalated', outcome: expect.stringContaining('not recovered') });
    expect(h.resolved).toEqual([]);
  });
});

describe('failures', () => {
  it('a failing step with onFailure revert undoes the steps done before it', async () => {
    ecs.reset();
    ecs.on(UpdateServiceCommand).resolves({ service: {} });
    ecs
      .on(UpdateServiceCommand, { forceNewDeployment: true })
      .rejects(Object.assign(new Error('service is draining'), { name: 'InvalidParameterException' }));
    const h = await harness(store, 'on');
    const runId = await approved(h);
    const run = await h.service.execute(runId);
    expect(ecsInputs().map((i) => i.desiredCount ?? 'force')).toEqual([6, 'force', 3]);
    expect(run).toMatchObject({ status: 'reverted', outcome: expect.stringContaining('restart failed') });
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['scale', 'ok'],
      ['restart', 'failed'],
      ['scale:revert', 'ok'],
    ]);
  });
});

describe('timeouts', () => {
  it('a step that outlives its timeout is aborted and recorded as failed', async () => {
    const h = await harness(store, 'on');
    let aborted = false;
    const hang: Action<unknown> = {
      ...ACTIONS['ecs.force-new-deployment'],
      run: (_p, ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    };
    const { playbook } = parsePlaybook(
      'hang.yaml',
      `name: hang
title: Hang
runbook: Hangs.
match: {}
policy: { approval: one, approvers: { groups: [oncall] } }
steps:
  - id: restart
    action: ecs.force-new-deployment
    params: { cluster: production, service: web }
    timeout: 1s
`,
    );
    Object.assign(h.deps, { playbooks: [playbook!], actions: { ...ACTIONS, 'ecs.force-new-deployment': hang } });
    const run = await h.service.execute(await approved(h, 'hang'));
    expect(aborted).toBe(true);
    expect(run).toMatchObject({ status: 'failed', outcome: expect.stringContaining('timed out after 1000 ms') });
  });
});

describe('never twice', () => {
  it('executing a finished run again (a retried job) runs nothing', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    const first = await h.service.execute(runId);
    const again = await h.service.execute(runId);
    expect(again.status).toBe(first.status);
    expect(ecs.calls()).toHaveLength(2);
  });

  it('two executors racing on one approved run: each step runs once', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    await Promise.all([h.service.execute(runId), h.service.execute(runId), h.service.execute(runId)]);
    expect(ecs.calls()).toHaveLength(2);
  });

  it('a crash between approval and execution: the retried job runs each step exactly once', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    // The worker took the run and died before its first step: status running, lease ended.
    expect(
      await store.transitionRun(runId, ['approved'], 'running', { now: h.clock, leaseUntil: h.clock + 1000 }),
    ).toBe(true);
    expect((await h.service.execute(runId)).status).toBe('running'); // lease still live: left to its holder
    expect(ecs.calls()).toHaveLength(0);
    h.clock += 1001;
    const run = await h.service.execute(runId);
    expect(run.status).toBe('succeeded');
    expect(ecs.calls()).toHaveLength(2);
  });

  it('a crash mid-step: the step found running is marked unknown, never re-run, and the run escalates', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    expect(
      await store.transitionRun(runId, ['approved'], 'running', { now: h.clock, leaseUntil: h.clock + 1000 }),
    ).toBe(true);
    await store.claimStep({
      runId,
      stepId: 'scale',
      idempotencyKey: `${runId}/scale`,
      action: 'ecs.set-desired-count',
      status: 'running',
      startedAt: h.clock,
      finishedAt: null,
      summary: null,
    });
    h.clock += 60_000;
    const run = await h.service.execute(runId);
    expect(ecs.calls()).toHaveLength(0);
    expect(run).toMatchObject({ status: 'escalated', outcome: expect.stringContaining('effect is unknown') });
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([['scale', 'unknown']]);
    expect((await h.service.execute(runId)).status).toBe('escalated');
    expect(ecs.calls()).toHaveLength(0);
    expect(await auditOf(runId)).toContainEqual(
      expect.objectContaining({
        action: 'ecs.set-desired-count',
        result: 'error',
        detail: expect.stringContaining('interrupted'),
      }),
    );
  });

  it('a crash after the first step finished: the takeover reuses its result and runs only the rest', async () => {
    const h = await harness(store, 'on');
    const runId = await approved(h);
    expect(
      await store.transitionRun(runId, ['approved'], 'running', { now: h.clock, leaseUntil: h.clock + 1000 }),
    ).toBe(true);
    await store.claimStep({
      runId,
      stepId: 'scale',
      idempotencyKey: `${runId}/scale`,
      action: 'ecs.set-desired-count',
      status: 'ok',
      startedAt: h.clock,
      finishedAt: h.clock,
      summary: 'desired count 6',
    });
    h.clock += 60_000;
    const run = await h.service.execute(runId);
    expect(ecsInputs()).toEqual([{ cluster: 'production', service: h.incident.service, forceNewDeployment: true }]);
    expect(run.status).toBe('succeeded');
  });

  it('a finished run frees the service for the next fix', async () => {
    const h = await harness(store, 'dry-run');
    await h.service.execute(await approved(h));
    await expect(h.service.plan(h.incident.id, 'scale', 'U7')).resolves.toMatchObject({ status: 'awaiting_approval' });
  });
});

describe('watching in dry-run', () => {
  it('a read-only watch really watches in dry-run and reports the numbers (it changes nothing, so nothing skips it)', async () => {
    const key = `prom:${uid()}:http_5xx_rate`;
    const h = await harness(store, 'dry-run', {
      seriesKeys: [key],
      headline: { ...incident().headline, seriesKey: key },
    });
    const { runId } = await h.service.plan(h.incident.id, 'watch', 'U7');
    // Points after the wait starts: back within the headline's pre-onset band [0, 2].
    await store.insertPoints(
      key,
      [1, 2, 3, 4, 5].map((k) => ({ t: h.clock + k * 60_000, v: k < 3 ? 9 : 1 })),
    );
    const run = await h.service.execute(runId);
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([['watch', 'ok']]);
    expect(run).toMatchObject({
      status: 'succeeded',
      outcome: expect.stringContaining(
        'recovered after 5m: http_5xx_rate 1 (median of the last 2 points) vs expected 1 (band 0 to 2)',
      ),
    });
  });

  it('not recovered in dry-run fails the watch with the numbers', async () => {
    const key = `prom:${uid()}:http_5xx_rate`;
    const h = await harness(store, 'dry-run', {
      seriesKeys: [key],
      headline: { ...incident().headline, seriesKey: key },
    });
    const { runId } = await h.service.plan(h.incident.id, 'watch', 'U7');
    await store.insertPoints(
      key,
      [1, 2, 3].map((k) => ({ t: h.clock + k * 60_000, v: 12 })),
    );
    const run = await h.service.execute(runId);
    expect(run).toMatchObject({
      status: 'failed',
      outcome: expect.stringContaining('not recovered after 5m: http_5xx_rate 12'),
    });
  });
});
