/**
 * The playbook approval flow end to end: signed Slack requests into Vigil's
 * real HTTP server, the Bolt app, the loopback fake Web API, the embedded
 * store, the in-process queue and the remediation service as main.ts wires
 * it (wireRemediation). Incident post with its recommended playbook -> Run
 * playbook -> plan in the thread with Approve / Reject -> refusals (not an
 * approver, approving twice) -> approval by a user group member -> one
 * 'remediate' job -> progress and verification in the thread. AWS calls go
 * to aws-sdk-client-mock.
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpServer } from '../../../src/http/index.js';
import { createMetrics, silentLogger } from '../../../src/observability/index.js';
import {
  createRouter,
  createSlackBot,
  createSlackClient,
  createSlackNotifier,
  signSlackRequest,
  type SlackBot,
} from '../../../src/notify/slack/index.js';
import type { Notifier } from '../../../src/notify/index.js';
import { openQueue, type Queue } from '../../../src/queue/index.js';
import { wireRemediation, type RemediationWiring } from '../../../src/compose/remediation.js';
import { deliver } from '../../../src/stages/notify.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { incident } from './events.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
const ecs = mockClient(ECSClient);

const SECRET = 'test-signing-secret-approval-0123';
const PLAYBOOK = `name: restart-two
title: Restart the service, two people approve
runbook: Restart it.
match: { services: ["approval-*"] }
policy: { approval: two, approvers: { users: [U1], groups: [oncall] } }
steps:
  - id: restart
    action: ecs.force-new-deployment
    params: { cluster: production, service: "{{incident.service}}" }
verify: { window: 10m, ifRecovered: resolve }
`;

let dir: string;
let store: Store;
let slack: FakeSlack;
let queue: Queue;
let http: FastifyInstance;
let url: string;
let notifier: Notifier;
let bot: SlackBot;
let remediation: RemediationWiring;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-approval-'));
  await writeFile(join(dir, 'restart-two.yaml'), PLAYBOOK);
  await writeFile(
    join(dir, 'broken.yaml'),
    PLAYBOOK.replace('name: restart-two', 'name: broken').replace('approval: two', 'approval: three'),
  );
  [store, slack, queue] = await Promise.all([
    openStore({ dataDir: 'memory://' }),
    startFakeSlack(),
    openQueue({ backoffMs: 1 }),
  ]);
  slack.usergroups.push(
    { id: 'S_ONCALL', handle: 'oncall', users: ['U2', 'U3'] },
    { id: 'S_DEVS', handle: 'devs', users: ['U5'] },
  );
  const log = silentLogger();
  notifier = createSlackNotifier({
    client: createSlackClient({ token: 'xoxb-test', apiUrl: slack.apiUrl }),
    store,
    log,
    stormPerMinute: 100,
    route: createRouter([], 'C_ALERTS'),
  });
  remediation = await wireRemediation(
    { mode: 'on', playbooksDir: dir, webhookHosts: [], localCommands: [], awsRegion: 'eu-west-1' },
    { store, queue, log, notifiers: ['slack'], progressTo: ['slack'], sleep: async () => {} },
  );
  const recommend = remediation.recommend;
  queue.process('notify', (job) => deliver(store, notifier, job.incidentId, job.event, { recommend }));
  queue.process('remediate', (job) => remediation.execute(job));
  bot = createSlackBot(
    { token: 'xoxb-test', signingSecret: SECRET, apiUrl: slack.apiUrl },
    {
      store,
      log,
      now: Date.now,
      runner: remediation.runner,
      refresh: (id) => deliver(store, notifier, id, 'updated', { ignoreSilences: true, recommend }),
    },
  );
  http = await createHttpServer({ log, metrics: createMetrics(), checks: [], plugins: [bot.routes!] });
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack/events`;
});
afterAll(async () => {
  await http?.close();
  await queue?.close();
  await Promise.all([store?.close(), slack?.close(), rm(dir, { recursive: true, force: true })]);
});
beforeEach(() => {
  ecs.reset();
  ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [{}] } });
});

let responseN = 0;
/** POSTs a signed form body to /slack/events, waits for the listeners and every job they queued, and returns the latest private answer. */
async function signedPost(body: string): Promise<string> {
  const stamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': stamp,
      'x-slack-signature': signSlackRequest(SECRET, stamp, body),
    },
  });
  expect(res.status).toBe(200);
  await bot.settled();
  await queue.whenIdle();
  return String(slack.responses.at(-1)?.text ?? '');
}

/** Clicks a button as `user` on the message at `ts`, then waits for the listeners and every job they queued. */
async function click(user: string, actionId: string, value: object, ts = '0') {
  const payload = {
    type: 'block_actions',
    user: { id: user, name: user },
    team: { id: 'T1' },
    channel: { id: 'C_ALERTS' },
    trigger_id: 'x',
    response_url: `${slack.baseUrl}/respond/${++responseN}`,
    container: { type: 'message', message_ts: ts, channel_id: 'C_ALERTS' },
    message: { type: 'message', ts, text: '' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: JSON.stringify(value), action_ts: '1' }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signedPost(body);
}

/** Sends `/vigil <text>` as `user` and returns the private answer. */
async function command(user: string, text: string) {
  const body = new URLSearchParams({
    command: '/vigil',
    text,
    user_id: user,
    user_name: user,
    channel_id: 'C_ALERTS',
    team_id: 'T1',
    trigger_id: 'x',
    response_url: `${slack.baseUrl}/respond/${++responseN}`,
  }).toString();
  return signedPost(body);
}

async function openIncident(id: string, service = 'approval-svc') {
  await store.openOrGetIncident(incident({ id, service, seriesKeys: [`sim:latency_p99{service="${id}"}`] }));
  await queue.enqueue('notify', { incidentId: id, event: 'opened', notifier: 'slack' });
  await queue.whenIdle();
  return (await store.getNotificationRef('slack', id))!.ts!;
}

const thread = (ts: string) => slack.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === ts);
const blocksOf = (c: { args: Record<string, unknown> } | undefined) => JSON.stringify(c?.args.blocks ?? []);

describe('playbook approval through Slack', () => {
  test('the invalid playbook was reported at load and the valid one loaded', () => {
    expect(remediation.playbooks.map((p) => p.name)).toEqual(['restart-two']);
    expect(remediation.errors).toEqual([
      expect.objectContaining({ file: expect.stringContaining('broken.yaml'), line: 5, field: 'policy.approval' }),
    ]);
  });

  test('run -> plan in the thread -> refusals -> two approvals -> one job -> progress and verification in the thread', async () => {
    const ts = await openIncident('inc_approval_1');
    const post = slack
      .callsOf('chat.postMessage')
      .find((c) => c.args.metadata !== undefined && blocksOf(c).includes('inc_approval_1'));
    expect(blocksOf(post)).toContain('*Recommended playbook* `restart-two`');
    expect(blocksOf(post)).toContain('vigil_run_playbook');

    expect(
      await click('U9', 'vigil_run_playbook', { incidentId: 'inc_approval_1', playbook: 'restart-two' }, ts),
    ).toMatch(/^Planned run `[\w-]+` of restart-two: the plan is in the incident's thread for approval\.$/);
    const [run] = await store.listRuns({ incidentId: 'inc_approval_1' });
    const runId = run!.plan.runId;
    const card = thread(ts).find((c) => blocksOf(c).includes('vigil_approve_run'));
    expect(card).toBeDefined();
    expect(blocksOf(card)).toContain('needs 2 different approvers from <@U1>, group oncall');
    expect(blocksOf(card)).toContain('start a new deployment of ECS service production/approval-svc');
    expect(blocksOf(card)).toContain(JSON.stringify(JSON.stringify({ runId })).slice(1, -1));
    const cardTs = slack.messages
      .get('C_ALERTS')!
      .find((m) => m.thread_ts === ts && m.text.includes('restart-two'))!.ts;

    // Not on the list (and in no listed group): refused, audited, nothing changes.
    expect(await click('U5', 'vigil_approve_run', { runId }, cardTs)).toBe(
      'Not approved: <@U5> is not an approver of playbook restart-two',
    );
    expect(await click('U1', 'vigil_approve_run', { runId }, cardTs)).toMatch(
      /^Run `.*` \(restart-two\): awaiting approval/,
    );
    // The same person twice under a two-person policy: refused.
    expect(await click('U1', 'vigil_approve_run', { runId }, cardTs)).toContain(
      '<@U1> has approved this run already; it needs 2 different people',
    );
    expect((await store.getRun(runId))?.status).toBe('awaiting_approval');
    expect(ecs.calls()).toHaveLength(0);
    const update = slack
      .callsOf('chat.update')
      .filter((c) => c.args.ts === cardTs)
      .at(-1);
    expect(blocksOf(update)).toContain('Approved by <@U1>');
    expect(blocksOf(update)).toContain('vigil_approve_run');

    // U2 approves as a member of the oncall user group (usergroups.list): approved, executed once, verified.
    expect(await click('U2', 'vigil_approve_run', { runId }, cardTs)).toMatch(/^Run `.*` \(restart-two\): approved/);
    const finalCard = slack
      .callsOf('chat.update')
      .filter((c) => c.args.ts === cardTs)
      .at(-1);
    expect(blocksOf(finalCard)).toContain('Approved by <@U2>');
    expect(blocksOf(finalCard)).not.toContain('vigil_approve_run');
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'production', service: 'approval-svc', forceNewDeployment: true },
    ]);
    const done = await store.getRun(runId);
    expect(done).toMatchObject({
      status: 'succeeded',
      outcome: expect.stringMatching(
        /^recovered after 10m: latency_p99 .* vs expected 120 \(band 80 to 160\): recovered$/,
      ),
    });
    expect(done?.approvals.map((a) => a.userId)).toEqual(['U1', 'U2']);
    expect((await store.getIncident('inc_approval_1'))?.status).toBe('resolved');

    // Progress and the verification result are in the thread, each once.
    const replies = thread(ts).map((c) => String(c.args.text));
    const once = (re: RegExp) => expect(replies.filter((t) => re.test(t))).toHaveLength(1);
    once(/restart-two: approved by <@U1> \(1\/2\)/);
    once(/restart-two: approved by <@U2> \(2\/2\): ready to run/);
    once(/restart-two: restart: new deployment of production\/approval-svc started/);
    once(/restart-two: verify:final: recovered after 10m: latency_p99/);
    once(/restart-two: succeeded: recovered/);
    once(/resolved after verified recovery/);
    once(/restart-two: planned \(on, approval two\)/);
    once(/playbook restart-two requested by <@U9>/);
    expect(new Set(replies).size).toBe(replies.length);
    // The run re-rendered the incident post many times; Slack was asked to edit it only when the rendering changed.
    const edits = slack
      .callsOf('chat.update')
      .filter((c) => c.args.ts === ts)
      .map((c) => JSON.stringify([c.args.text, c.args.blocks]));
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.filter((x, k) => x === edits[k - 1])).toEqual([]);

    // Refusals are in the audit trail.
    const audit = (await store.listAudit({ limit: 200 }))
      .filter((a) => a.params.runId === runId && a.action === 'remediation.approve')
      .map((a) => `${a.actor}:${a.result}`)
      .reverse();
    expect(audit).toEqual(['slack:U5:refused', 'slack:U1:ok', 'slack:U1:refused', 'slack:U2:ok']);

    // A duplicated or retried job never runs the fix twice.
    await queue.enqueue('remediate', { runId, incidentId: 'inc_approval_1', playbook: 'restart-two' });
    await queue.whenIdle();
    expect(await remediation.resume()).toBe(0);
    expect(ecs.calls()).toHaveLength(1);
  });

  test('reject: the plan message loses its buttons and the fix never runs; approving afterwards is refused', async () => {
    const ts = await openIncident('inc_approval_2', 'approval-svc2');
    await click('U9', 'vigil_run_playbook', { incidentId: 'inc_approval_2', playbook: 'restart-two' }, ts);
    const runId = (await store.listRuns({ incidentId: 'inc_approval_2' }))[0]!.plan.runId;
    expect(await click('U5', 'vigil_reject_run', { runId }, 'card-ts')).toBe(
      'Not rejected: <@U5> is neither an approver of playbook restart-two nor the requester',
    );
    expect(await click('U3', 'vigil_reject_run', { runId }, 'card-ts')).toMatch(
      /^Run `.*` \(restart-two\): rejected — rejected by <@U3>/,
    );
    expect(await click('U1', 'vigil_approve_run', { runId }, 'card-ts')).toBe(
      `Not approved: run ${runId} is rejected, not awaiting approval`,
    );
    expect(ecs.calls()).toHaveLength(0);
    expect(
      thread(ts)
        .map((c) => String(c.args.text))
        .filter((t) => t.includes('rejected by <@U3>')),
    ).toHaveLength(1);
  });

  test('/vigil run posts the plan into the thread too; an incident without a Slack post gets the plan as the reply', async () => {
    const ts = await openIncident('inc_approval_3', 'approval-svc3');
    expect(await command('U9', 'run restart-two inc_approval_3')).toMatch(
      /^Planned run `[\w-]+` of restart-two: the plan is in the incident's thread for approval\.$/,
    );
    expect(thread(ts).filter((c) => blocksOf(c).includes('vigil_approve_run'))).toHaveLength(1);
    const runId = (await store.listRuns({ incidentId: 'inc_approval_3' }))[0]!.plan.runId;
    await click('U9', 'vigil_reject_run', { runId }, 'card-ts'); // the requester withdraws it

    await store.openOrGetIncident(incident({ id: 'inc_approval_4', service: 'approval-svc4' }));
    const reply = await command('U9', 'run restart-two inc_approval_4');
    expect(reply).toContain('*Restart the service, two people approve* (playbook `restart-two`');
    expect(reply).toContain('1. start a new deployment of ECS service production/approval-svc4');
  });

  test('a button with an unreadable value is ignored', async () => {
    const before = slack.responses.length;
    await click('U1', 'vigil_approve_run', { notARun: true });
    expect(slack.responses.length).toBe(before);
  });
});
