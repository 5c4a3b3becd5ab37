/**
 * Every `/vigil` command is answered (replies.ts over the embedded store):
 * the read-only ones from stored incidents, deploys and verdicts; the ones
 * that act through operations.ts, which re-render through `refresh` and
 * call the playbook runner. bot.test.ts covers the same over HTTP for
 * help, status, silence, explain and the buttons.
 */
import { parseCommand } from '../../../src/notify/slack/commands.js';
import type { OperationDeps } from '../../../src/notify/slack/operations.js';
import { answer } from '../../../src/notify/slack/replies.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { deploy, incident } from './events.js';

const NOW = Date.UTC(2026, 0, 5, 11);
let store: Store;
const refreshed: string[] = [];
const runs: string[] = [];
let d: OperationDeps;

beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  d = {
    store,
    now: () => NOW,
    refresh: async (id) => {
      refreshed.push(id);
    },
    runner: {
      async requestRun(incidentId, playbook) {
        runs.push(`${playbook} on ${incidentId}`);
        return `playbook ${playbook} planned`;
      },
    },
  };
});
afterAll(async () => {
  await store?.close();
});

const ask = async (text: string) => await answer(parseCommand(text), 'U1', d);
const shown = async (text: string) => {
  const r = await ask(text);
  return `${r.text}\n${JSON.stringify(r.blocks ?? [])}`;
};

test('with nothing stored: incidents, deploys, verdict, run and show say so', async () => {
  expect((await ask('incidents')).text).toBe('No open incidents. :white_check_mark:');
  expect((await ask('deploys')).text).toBe('No deploys in the last 7 days.');
  expect((await ask('verdict dep-42')).text).toContain('No verdict for deployment `dep-42` (yet)');
  expect((await ask('run rollback')).text).toContain('No open incident to run a playbook for');
  expect((await ask('show inc_nope')).text).toBe('No incident `inc_nope`.');
  expect(runs).toEqual([]);
});

test('incidents, show, deploys and verdict read what is stored', async () => {
  await store.upsertDeployment(deploy);
  const { incident: inc } = await store.openOrGetIncident(incident());
  await store.appendTimeline(inc.id, { at: inc.openedAt, kind: 'opened', text: 'latency_p99 level shift' });
  expect(await shown('incidents')).toContain(`\`${inc.id}\` [high] *checkout*`);
  const show = await shown(`show ${inc.id}`);
  expect(show).toContain('Suspected deploy* `dep-42` (v42)');
  expect(show).toContain('opened: latency_p99 level shift');
  expect(show).not.toContain('vigil_run_playbook');
  // With remediation on, show has the recommended playbook, why it was chosen, and the Run button.
  const why = 'suspected deploy dep-42 (generic) -> deploy-rollback-webhook';
  const withPlaybook = {
    ...d,
    recommend: async () => ({ name: 'deploy-rollback-webhook', title: 'Roll back', reason: why }),
  };
  const r = await answer(parseCommand(`show ${inc.id}`), 'U1', withPlaybook);
  const blocks = JSON.stringify(r.blocks);
  expect(blocks).toContain(`_Why_: ${why.replace('>', '&gt;')}`);
  expect(blocks).toContain(
    JSON.stringify(JSON.stringify({ incidentId: inc.id, playbook: 'deploy-rollback-webhook' })).slice(1, -1),
  );
  expect(blocks).toContain('"action_id":"vigil_run_playbook"');
  expect(await shown('deploys checkout')).toContain('`dep-42` checkout v42 succeeded at 2026-01-05 09:56 UTC by ci');
  await store.saveVerdict({
    deploymentId: 'dep-42',
    service: 'checkout',
    outcome: 'fail',
    decidedAt: NOW,
    shifts: [],
    summary: 'fail: latency_p99 rose 7.5x',
  });
  expect((await ask('verdict dep-42')).text).toBe(
    '🔴 Deploy verdict: fail — checkout v42: fail: latency_p99 rose 7.5x',
  );
});

test('ack, run and resolve act on the incident, re-render it and are answered', async () => {
  const id = incident().id;
  expect((await ask(`ack ${id}`)).text).toBe(`Acknowledged \`${id}\`.`);
  expect((await ask('run rollback')).text).toBe('playbook rollback planned');
  expect(runs).toEqual([`rollback on ${id}`]);
  expect((await ask(`resolve ${id}`)).text).toBe(`Resolved \`${id}\`.`);
  expect((await store.getIncident(id))?.status).toBe('resolved');
  expect(refreshed).toEqual([id, id, id]);
  expect((await store.timeline(id)).map((t) => t.kind)).toEqual(['opened', 'ack', 'action', 'resolved']);
});
