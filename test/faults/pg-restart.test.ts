/**
 * Fault (c): PostgreSQL restarted under load. `vigil start` and a worker
 * keep running while the database stops and comes back (same port, same
 * data). Vigil recovers by itself; each process logs the outage once when
 * it starts and once when it ends; pushes refused meanwhile were answered
 * 503 with Retry-After and got in when retried; every accepted point is
 * scored exactly once and nothing is posted twice.
 */
import { expectNothingLost, expectRecoveredByItself, recoveryLogged } from './support/checks.js';
import { describeFaults, waitFor } from './support/services.js';
import { startClusterOn, useFaultServices } from './support/suite.js';
import { allScored, pushAll, workload } from './support/workload.js';

describeFaults('PostgreSQL restarted under load', () => {
  const services = useFaultServices();

  test('Vigil recovers by itself, logs the outage once each way, and loses nothing', async () => {
    const { pg, slack } = services;
    const c = await startClusterOn(services, { workers: 1, name: 'pgrestart' });
    const w = workload({
      length: 900,
      perRequest: 15,
      services: ['checkout', 'orders'],
      shifts: { checkout: [300, 340], orders: [700, 740] },
    });
    let restarted: Promise<void> | null = null;
    const report = await pushAll(c.baseUrl, w.requests, async (i, r) => {
      if (i !== Math.floor(w.requests.length / 3)) return;
      await pg.stop();
      // Down until the pushing client has been refused twice (about two Retry-After waits).
      restarted = waitFor('pushes refused during the outage', () => r.refused >= 2, 120_000).then(() => pg.start());
    });
    await restarted;
    await c.diagnose(waitFor('every pushed point scored', () => allScored(c.databaseUrl, w), 180_000, 250));
    await waitFor('notifications delivered', () => c.notificationsIdle(), 60_000, 250);

    await recoveryLogged(c, 'store');
    expectRecoveredByItself(c, 'store');
    expect(report.accepted).toBe(w.points);
    expect(report.refused).toBeGreaterThanOrEqual(2);
    expect(report.retryAfters.every((s) => Number(s) > 0)).toBe(true);

    const facts = await expectNothingLost(c, pg, slack, w);
    expect(facts.incidents.length).toBeGreaterThan(0);
  }, 300_000);
});
