/**
 * Remediation as main.ts wires it: playbooks loaded (invalid ones logged
 * with file, line and field), the recommended playbook on incident events,
 * approved runs enqueued once and executed, progress only to the progress
 * notifiers, and the modes (off: nothing; unreadable directory: a warning).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { buildApp } from '../../src/main.js';
import type { Notifier, NotifyEvent } from '../../src/notify/index.js';
import { silentLogger } from '../../src/observability/index.js';
import { openQueue } from '../../src/queue/index.js';
import { remediationFromConfig, wireRemediation } from '../../src/compose/remediation.js';
import { openStore, type Store } from '../../src/store/index.js';
import { incident } from '../remediate/helpers.js';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-wire-'));
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

function recordingLog() {
  const lines: Array<{ level: 'info' | 'warn'; obj: object; msg: string }> = [];
  return {
    lines,
    info: (obj: object, msg: string) => {
      lines.push({ level: 'info', obj, msg });
    },
    warn: (obj: object, msg: string) => {
      lines.push({ level: 'warn', obj, msg });
    },
  };
}

describe('buildApp', () => {
  async function recorded(env: Record<string, string>): Promise<{ events: NotifyEvent[]; remediation: boolean }> {
    const events: NotifyEvent[] = [];
    const recorder: Notifier = {
      name: 'recorder',
      send: async (e) => {
        events.push(e);
        return { ok: true, ref: null };
      },
    };
    // playbooksDir defaults to the shipped playbooks/, whatever the working directory.
    const app = await buildApp(loadConfig(env, dir), {
      consume: ['notify'],
      ephemeralStore: true,
      log: silentLogger(),
      notifiers: [recorder],
    });
    try {
      await app.store.upsertDeployment({
        id: 'd-ABCDEF123',
        service: 'checkout',
        environment: 'production',
        version: 'v42',
        startedAt: 0,
        finishedAt: null,
        status: 'succeeded',
        actor: null,
        source: 'codedeploy',
        url: null,
        strategy: null,
      });
      await app.store.openOrGetIncident(incident({ id: 'inc-wire' }));
      await app.queue.enqueue('notify', { incidentId: 'inc-wire', event: 'opened', notifier: 'recorder' });
      await app.queue.whenIdle();
      return { events, remediation: app.remediation !== null };
    } finally {
      await app.close();
    }
  }

  it('passes the best built-in playbook and its reason to the notifiers (default mode dry-run)', async () => {
    const { events, remediation } = await recorded({});
    expect(remediation).toBe(true);
    expect(events.map((e) => e.playbook)).toEqual([
      expect.objectContaining({
        name: 'deploy-regression-rollback',
        reason: 'suspected deploy d-ABCDEF123 (CodeDeploy) -> deploy-regression-rollback',
      }),
    ]);
  });

  it('VIGIL_REMEDIATION=off: no remediation and no recommended playbook', async () => {
    const { events, remediation } = await recorded({ VIGIL_REMEDIATION: 'off' });
    expect(remediation).toBe(false);
    expect(events.map((e) => e.playbook ?? null)).toEqual([null]);
  });
});

describe('wireRemediation', () => {
  it('an unreadable playbooks directory is a warning, not a failed start', async () => {
    const log = recordingLog();
    const queue = await openQueue();
    const config = {
      mode: 'dry-run' as const,
      playbooksDir: join(dir, 'missing'),
      webhookHosts: [],
      localCommands: [],
      awsRegion: null,
    };
    expect(await remediationFromConfig(config, { store, queue, log, notifiers: [], progressTo: [] })).toBeNull();
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringContaining(`cannot read the playbooks directory ${join(dir, 'missing')}`),
      }),
    ]);
    await queue.close();
  });

  it('logs invalid playbooks with file, line and field; an auto-approved run is executed by one job; progress goes to the progress notifiers only', async () => {
    const books = await mkdtemp(join(dir, 'books-'));
    await writeFile(
      join(books, 'watch.yaml'),
      'name: watch\ntitle: Watch\nrunbook: Watch it.\nmatch: { services: ["*"] }\npolicy: { approval: auto }\nsteps:\n  - id: watch\n    action: wait-and-verify\n    params: { window: 5m }\n',
    );
    await writeFile(
      join(books, 'bad.yaml'),
      'name: bad\ntitle: Bad\nrunbook: Bad.\nmatch: { services: ["*"] }\npolicy: { approval: auto }\nsteps:\n  - id: scale\n    action: ecs.set-desired-count\n    params: { cluster: production, service: web, count: 3 }\n',
    );
    const log = recordingLog();
    const queue = await openQueue({ backoffMs: 1 });
    const notified: string[] = [];
    const w = await wireRemediation(
      { mode: 'on', playbooksDir: books, webhookHosts: [], localCommands: [], awsRegion: null },
      {
        store,
        queue,
        log,
        notifiers: ['console', 'slack'],
        progressTo: ['slack'],
        sleep: async () => {},
      },
    );
    queue.process('notify', async (job) => {
      notified.push(`${job.notifier}:${job.event}${job.ignoreSilences ? '' : ':silenceable'}`);
    });
    let executions = 0;
    queue.process('remediate', async (job) => {
      executions++;
      await w.execute(job);
    });
    try {
      expect(w.playbooks.map((p) => p.name)).toEqual(['watch']);
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
        expect.objectContaining({
          obj: { file: join(books, 'bad.yaml'), line: 8, field: 'steps.0.action' },
          msg: expect.stringContaining('auto approval is only for read-only playbooks'),
        }),
      ]);
      await store.openOrGetIncident(incident({ id: 'inc-wire-auto', service: 'wire-auto' }));
      const planned = await w.runner.requestRun('inc-wire-auto', 'watch', 'U7');
      if (typeof planned === 'string') throw new Error(planned);
      expect(planned.awaitingApproval).toBe(false);
      await queue.whenIdle();
      expect(executions).toBe(1);
      expect(await store.getRun(planned.runId)).toMatchObject({
        status: 'succeeded',
        outcome: expect.stringMatching(/^all steps done: watch: recovered after 5m: /),
      });
      // planned, the step, finished: each re-renders the incident in Slack, silences notwithstanding; the console is not told.
      expect(notified).toEqual(['slack:updated', 'slack:updated', 'slack:updated']);
      expect(await w.resume()).toBe(0);
    } finally {
      await queue.close();
    }
  });
});
