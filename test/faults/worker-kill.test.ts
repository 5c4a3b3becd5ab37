/**
 * Fault (a): `kill -9` of a `vigil worker` in the middle of a batch.
 * Real PostgreSQL and Redis started by the test, `vigil start` and two
 * `vigil worker` processes sharing them, points pushed through the HTTP push
 * API. A worker is killed while one of its queries runs (so it holds a pull
 * job), then started again. Afterwards every pushed point is stored and
 * scored exactly once (detector states and anomalies equal a point-by-point
 * reference run), no incident counts an anomaly twice and every incident is
 * posted to Slack exactly once.
 */
import { busyProcess } from './support/busy.js';
import { expectNothingLost } from './support/checks.js';
import { describeFaults, waitFor } from './support/services.js';
import { startClusterOn, useFaultServices } from './support/suite.js';
import type { VigilProcess } from './support/vigil.js';
import { allScored, pushAll, workload } from './support/workload.js';

const TIMEOUT = 300_000;

describeFaults('kill -9 of a worker mid-batch', () => {
  const services = useFaultServices();

  test(
    'after the worker restarts, every point is scored exactly once and nothing is posted twice',
    async () => {
      const { pg, slack } = services;
      const c = await startClusterOn(services, { workers: 2, name: 'kill' });
      const w = workload({
        length: 1500,
        perRequest: 25,
        services: ['checkout', 'orders', 'search'],
        shifts: { checkout: [700, 760], orders: [1100, 1140] },
      });
      let victim: VigilProcess | null = null;
      let hunting: Promise<VigilProcess> | null = null;
      const report = await pushAll(c.baseUrl, w.requests, async (i) => {
        if (i !== Math.floor(w.requests.length / 3)) return;
        // Kill a worker the moment it is seen running a query, while pushing goes on.
        hunting = waitFor(
          'a worker running a query',
          async () => {
            const busy = await busyProcess(c.databaseUrl, c.workers.slice(0, 2));
            if (busy) await busy.kill();
            return busy;
          },
          120_000,
          5,
        );
      });
      victim = await hunting!;
      const killed = victim;
      const restarted = await c.addWorker(`${victim.name} restarted`);
      // The kill hit a job in flight: BullMQ finds it stalled once its lock expires and another
      // process takes it over; wait for the takeover itself, then for everything it redoes. The
      // kill can also land just after the job committed (the query seen running was its last):
      // then no job is held, which shows as a moment with no active job at all (a job the dead
      // worker held stays active until it is found stalled), and there is no takeover to wait for.
      const survivors = c.all.filter((p) => p !== killed);
      const tookOver = () => survivors.some((p) => p.lines().some((l) => /stalled/i.test(l.msg)));
      const how = await waitFor(
        'a survivor taking over the stalled job, or no job held by anyone',
        async () => (tookOver() ? 'taken over' : (await c.activeJobs()) === 0 ? 'nothing held' : null),
        180_000,
        250,
      );
      if (how === 'nothing held')
        console.warn('worker-kill: the kill landed between jobs; no stalled job to take over');
      await c.diagnose(waitFor('every pushed point scored', () => allScored(c.databaseUrl, w), 180_000, 250));
      await waitFor('notifications delivered', () => c.notificationsIdle(), 60_000, 250);

      expect(report).toEqual({ accepted: w.points, duplicates: 0, refused: 0, retryAfters: [] });
      expect(restarted.lines().some((l) => l.msg === 'worker started; Ctrl-C to stop')).toBe(true);

      const facts = await expectNothingLost(c, pg, slack, w);
      expect(facts.incidents.length).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
