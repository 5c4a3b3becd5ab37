/**
 * Fault (d): the Slack Web API answers every call 429 with Retry-After for
 * a minute while incidents open (the loopback server's window is the only
 * knob; Vigil runs as configured). Nothing is lost and nothing doubled:
 * once Slack serves again, every incident is posted exactly once (its own
 * post, not a storm summary), its message shows its final state and its
 * thread carries each timeline entry once; no notification is given up.
 */
import { expectNothingLost } from './support/checks.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { describeFaults, startPostgres, startRedis, waitFor, type Postgres, type Server } from './support/services.js';
import { startLoopbackSlack, type LoopbackSlack } from './support/slack.js';
import { allScored, pushAll, workload, type WorkloadOptions } from './support/workload.js';

/** How long Slack refuses, and the Retry-After it answers each time (seconds). */
const LIMITED_MS = 60_000;
const RETRY_AFTER_S = 1;

describeFaults('Slack answering 429 for a minute', () => {
  let pg: Postgres;
  let redis: Server;
  const opened: Array<{ cluster: Cluster; slack: LoopbackSlack }> = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 120_000);
  afterAll(async () => {
    for (const o of opened) {
      await o.cluster.close();
      await o.slack.close();
    }
    await Promise.all([pg?.destroy(), redis?.destroy()]);
  });

  async function under429(name: string, o: WorkloadOptions, incidents: number): Promise<void> {
    const slack = await startLoopbackSlack();
    const c = await startCluster({ pg, redis, slack, workers: 1, name });
    opened.push({ cluster: c, slack });
    const w = workload(o);
    slack.rateLimitFor(LIMITED_MS, RETRY_AFTER_S);
    const windowEnds = Date.now() + LIMITED_MS;
    const report = await pushAll(c.baseUrl, w.requests);
    await c.diagnose(waitFor('every pushed point scored', () => allScored(c.databaseUrl, w), 180_000, 250));
    await waitFor('the end of the 429 window', () => Date.now() > windowEnds, LIMITED_MS + 10_000, 250);
    await waitFor('notifications delivered', () => c.notificationsIdle(), 300_000, 250);

    expect(report).toEqual({ accepted: w.points, duplicates: 0, refused: 0, retryAfters: [] });
    // The fault hit the posts: Slack refused some.
    expect(slack.calls.filter((x) => x.method === 'chat.postMessage' && x.status === 429).length).toBeGreaterThan(0);

    const facts = await expectNothingLost(c, pg, slack, w);
    expect(facts.incidents.length).toBe(incidents);
    // No notification was given up (a job out of attempts is logged as an error).
    expect(
      c.start
        .lines()
        .filter((l) => l.level >= 50)
        .map((l) => l.msg),
    ).toEqual([]);
    for (const i of facts.incidents) {
      const post = slack.incidentPosts().find((m) => m.incidentId === i.id)!;
      const replies = slack.messages.filter((m) => m.threadTs === post.ts).length;
      const entries = (facts.timelines.get(i.id) ?? []).filter((e) => !e.startsWith('opened ')).length;
      expect({ incident: i.id, resolvedShown: post.text.startsWith('✅ Resolved'), replies }).toEqual({
        incident: i.id,
        resolvedShown: i.status === 'resolved',
        replies: entries,
      });
    }
  }

  test('three incidents that open and resolve meanwhile: each posted once, in its final state', async () => {
    await under429(
      'slack429a',
      {
        length: 900,
        perRequest: 30,
        services: ['checkout', 'orders', 'search'],
        shifts: { checkout: [300, 340], orders: [500, 540], search: [700, 760] },
      },
      3,
    );
  }, 300_000);

  test('one incident whose few notifications all meet the whole minute of 429s is still posted', async () => {
    await under429(
      'slack429b',
      { length: 600, perRequest: 30, services: ['payments'], shifts: { payments: [500, 600] } },
      1,
    );
  }, 300_000);
});
