/**
 * Regression (issue 16): the incidents must not depend on the order in which
 * concurrent pull jobs, one per series, reach the lifecycle. Each job here is
 * what pull() does for one series: store its points and anomalies, group,
 * then the lifecycle stage.
 */
import type { Anomaly, Incident, Point } from '../../src/domain/index.js';
import type { IncidentPolicy } from '../../src/incidents/index.js';
import { compileLinks } from '../../src/correlate/index.js';
import { groupByService } from '../../src/stages/group.js';
import { runLifecycle } from '../../src/stages/lifecycle.js';
import type { PipelineDeps, Scored } from '../../src/stages/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { MIN, testPolicy } from '../support/policy.js';

const HOUR = 60 * MIN;
const policy: IncidentPolicy = testPolicy;
const SERVICE = 'checkout';
const key = (metric: string) => `sim:${metric}{service="${SERVICE}"}`;

/** Latency steps from 100 to 200 at minute 40 and stays there; cpu stays flat. */
const value = (metric: string, m: number) =>
  metric === 'cpu' ? 50 + (m % 3) : m >= 40 ? 200 + (m % 3) : 100 + (m % 3);

/** The detector flags the step's first three minutes, then adapts and stays silent. */
function anomaliesOf(metric: string, from: number, to: number): Anomaly[] {
  if (metric !== 'latency') return [];
  return [40, 41, 42]
    .filter((m) => m >= from && m < to)
    .map((m) => ({
      seriesKey: key(metric),
      service: SERVICE,
      metric,
      t: m * MIN,
      observed: value(metric, m),
      expected: 100,
      band: [90, 110] as const,
      score: 0.8,
      kind: 'level_shift' as const,
    }));
}

/**
 * One pull job: one series over [hour, hour + 1h). `rangeFrom`: the job's
 * range start when it is not the data's (the push source ignores the range
 * and returns every pending point, so history pushed late arrives in a job
 * whose range starts at the last pull, hours after the points).
 */
async function job(store: Store, deps: PipelineDeps, metric: string, hour: number, rangeFrom?: number): Promise<void> {
  const from = hour * 60;
  const points: Point[] = [];
  for (let m = from; m < from + 60; m++) points.push({ t: m * MIN, v: value(metric, m) });
  const ref = { key: key(metric), service: SERVICE, metric, source: 'sim', labels: { service: SERVICE } };
  await store.upsertSeriesMany([ref]);
  await store.insertPointsMany([{ seriesKey: ref.key, points }]);
  const anomalies = anomaliesOf(metric, from, from + 60);
  await store.insertAnomalies(anomalies);
  const lastT = (from + 59) * MIN;
  const scored = {
    job: {
      query: { id: metric, sourceId: 'sim', params: {} },
      range: { from: rangeFrom ?? from * MIN, to: Math.max(rangeFrom ?? 0, (from + 60) * MIN) },
    },
    sourceId: 'sim',
    series: [],
    failed: 0,
    scored: [
      {
        service: SERVICE,
        result: { scored: 60, anomalies, lastT, seconds: 0, snapshot: { seriesKey: ref.key, state: null, lastT } },
      },
    ],
  } as unknown as Scored;
  const grouped = await groupByService(scored, deps);
  for (const group of grouped.groups) await runLifecycle(group, deps);
}

/** Runs the jobs of each hour in the given order of series on a fresh store; returns the incidents. */
async function run(order: readonly string[], rangeFrom?: number): Promise<Incident[]> {
  const store = await openStore({ dataDir: 'memory://' });
  try {
    const deps = {
      store,
      policy,
      links: compileLinks({}),
      correlate: { lookback: HOUR, verdictWindow: HOUR, minuteMs: MIN },
    } as unknown as PipelineDeps;
    for (const hour of [0, 1, 2]) for (const metric of order) await job(store, deps, metric, hour, rangeFrom);
    return await store.listIncidents({ limit: 100 });
  } finally {
    await store.close();
  }
}

const outcome = (incidents: readonly Incident[]) =>
  incidents.map((i) => ({ service: i.service, openedAt: i.openedAt, resolvedAt: i.resolvedAt, status: i.status }));

describe('runLifecycle (stages/lifecycle): job order', () => {
  it('gives the same incidents whichever series of a service is pulled first', async () => {
    const cpuFirst = outcome(await run(['cpu', 'latency']));
    const latencyFirst = outcome(await run(['latency', 'cpu']));
    // Latency stays shifted through the data: the incident is still going on, in either order.
    expect(latencyFirst).toEqual([{ service: SERVICE, openedAt: 40 * MIN, resolvedAt: null, status: 'open' }]);
    expect(cpuFirst).toEqual(latencyFirst);
  });

  it('decides on the data a job scored even when its range starts after it (history pushed late)', async () => {
    // Every job's range starts ten hours after its points, as a push of old data does: same incident.
    const late = outcome(await run(['latency', 'cpu'], 10 * HOUR));
    expect(late).toEqual([{ service: SERVICE, openedAt: 40 * MIN, resolvedAt: null, status: 'open' }]);
  });
});
