/**
 * `vigil demo` as a user runs it, with SLACK_BOT_TOKEN and SLACK_CHANNEL
 * set (the Web API URL pointed at the loopback fake by vigil.yaml): every
 * incident the console prints is posted to Slack once, with the same id.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../notify/slack/fake-slack.js';

const BIN = resolve('bin/vigil.js');
let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
});

test('the demo posts each incident it prints to the Slack channel', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'vigil-demo-slack-'));
  writeFileSync(join(cwd, 'vigil.yaml'), `notify:\n  slack:\n    apiUrl: ${slack.apiUrl}\n`);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(DATABASE_URL|REDIS_URL|VIGIL_|LOG_LEVEL|NODE_OPTIONS$|SLACK_)/.test(k)) env[k] = v;
  const child = spawn(process.execPath, [BIN, 'demo', '--duration', '6h', '--services', '2'], {
    cwd,
    env: { ...env, SLACK_BOT_TOKEN: 'xoxb-demo', SLACK_CHANNEL: '#alerts' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  expect({ code, stderr: stderr.split('\n').filter((l) => /Slack|"level":50/.test(l)) }).toEqual({
    code: 0,
    stderr: [],
  });

  expect(stdout).toContain('incidents are also posted to Slack (#alerts)');
  const printed = [...stdout.matchAll(/^ {2}incident (inc-\S+), \d+ anomalies$/gm)].map((m) => m[1]);
  expect(printed.length).toBeGreaterThan(0);
  const posted = slack
    .callsOf('chat.postMessage')
    .filter((c) => c.args.thread_ts === undefined && c.args.metadata !== undefined)
    .map((c) => (c.args.metadata as { event_payload: { incident_id: string } }).event_payload.incident_id);
  expect(posted.sort()).toEqual([...new Set(printed)].sort());
}, 120_000);
