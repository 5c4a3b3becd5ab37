/**
 * Fault (b): Redis restarted under load. `vigil start` and a worker keep
 * running while Redis stops and comes back (same port, same append-only
 * file). Pushes go on meanwhile (points wait in PostgreSQL, so none is
 * refused); Vigil reconnects by itself; each process logs the outage once
 * when it starts and once when it ends; every accepted point is scored
 * exactly once and nothing is posted twice.
 */
import { expectNothingLost, expectRecoveredByItself } from './support/checks.js';
import { describeFaults, waitFor } from './support/services.js';
import { startClusterOn, useFaultServices } from './support/suite.js';
import { allScored, pushAll, workload } from './support/workload.js';

describeFaults('Redis restarted under load', () => {
  const services = useFaultServices();

  test('Vigil reconnects by itself, logs the outage once each way, and loses nothing', async () => {
    const { pg, redis, slack } = services;
    const c = await startClusterOn(services, { workers: 1, name: 'redisrestart' });
    const w = workload({
      length: 900,
      perRequest: 15,
      services: ['checkout', 'orders'],
      shifts: { checkout: [300, 340], orders: [700, 740] },
    });
    const report = await pushAll(c.baseUrl, w.requests, async (i) => {
      if (i === Math.floor(w.requests.length / 3)) await redis.stop();
    });
    // Down until the rest was pushed and both processes noticed.
    await Promise.all(c.all.map((p) => p.waitForLine(/^queue unavailable/)));
    await redis.start();
    await c.diagnose(waitFor('every pushed point scored', () => allScored(c.databaseUrl, w), 180_000, 250));
    await waitFor('notifications delivered', () => c.notificationsIdle(), 60_000, 250);

    expectRecoveredByItself(c, 'queue');
    expect(report).toEqual({ accepted: w.points, duplicates: 0, refused: 0, retryAfters: [] });

    const facts = await expectNothingLost(c, pg, slack, w);
    expect(facts.incidents.length).toBeGreaterThan(0);
  }, 300_000);
});
