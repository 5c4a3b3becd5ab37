/** Which incidents are ranked again after a batch (moved from pipeline.ts into correlate/attribution/rerank.ts). Real embedded store. */
import type { Anomaly, Incident } from '../../../src/domain/index.js';
import {
  compileLinks,
  incidentsToRank,
  neighboursToRerank,
  rerank,
  type RerankDeps,
} from '../../../src/correlate/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { MIN, T0 } from './helpers.js';

let store: Store;
let deps: RerankDeps;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
  deps = { store, links: compileLinks({}), lookback: 30 * MIN, minuteMs: MIN, verdictWindow: 30 * MIN };
});
afterAll(async () => {
  await store.close();
});

function incident(id: string, service: string, openedMinute: number, over: Partial<Incident> = {}): Incident {
  const key = `sim:latency_p95_ms{service="${service}"}`;
  return {
    id,
    service,
    status: 'open',
    severity: 'high',
    openedAt: T0 + openedMinute * MIN,
    lastAnomalyAt: T0 + (openedMinute + 5) * MIN,
    resolvedAt: null,
    seriesKeys: [key],
    anomalyCount: 3,
    suspect: null,
    headline: {
      seriesKey: key,
      metric: 'latency_p95_ms',
      t: T0 + openedMinute * MIN,
      observed: 250,
      expected: 100,
      band: [90, 110],
      kind: 'level_shift',
      score: 0.9,
    },
    ...over,
  };
}
const anomaly = (service: string, minute: number): Anomaly => ({
  seriesKey: `sim:cpu{service="${service}"}`,
  service,
  metric: 'cpu',
  t: T0 + minute * MIN,
  observed: 90,
  expected: 20,
  band: [10, 30],
  score: 0.9,
  kind: 'spike',
});

test('the changed incidents, in order, and the open one while within a verdict window of its onset', async () => {
  await store.openOrGetIncident(incident('inc-rr-open', 'rr-a', 100));
  expect(await incidentsToRank('rr-a', T0 + 120 * MIN, ['inc-x', 'inc-y'], deps)).toEqual([
    'inc-x',
    'inc-y',
    'inc-rr-open',
  ]);
  expect(await incidentsToRank('rr-a', T0 + 120 * MIN, ['inc-rr-open', 'inc-x'], deps)).toEqual([
    'inc-rr-open',
    'inc-x',
  ]);
  // Past the window its evidence has stopped growing: only what the batch changed.
  expect(await incidentsToRank('rr-a', T0 + 131 * MIN, ['inc-x'], deps)).toEqual(['inc-x']);
});

test("neighbours: other groups' incidents with suspects opened within a verdict window of the anomalies, at their own last anomaly when later", async () => {
  const suspects = [{ deploymentId: 'd-1', confidence: 0.5, reason: 'x' }];
  await store.openOrGetIncident(incident('inc-rr-near', 'rr-near', 500, { suspects, lastAnomalyAt: T0 + 560 * MIN }));
  await store.openOrGetIncident(incident('inc-rr-nosus', 'rr-nosus', 500));
  await store.openOrGetIncident(incident('inc-rr-far', 'rr-far', 400, { suspects }));
  await store.openOrGetIncident(incident('inc-rr-mine', 'rr-mine', 505, { suspects }));
  const found = [anomaly('rr-mine', 510), anomaly('rr-mine', 520)];
  const near = await neighboursToRerank(found, new Set(['rr-mine']), T0 + 530 * MIN, deps);
  expect(near.map((n) => [n.incident.id, n.at])).toEqual([['inc-rr-near', T0 + 560 * MIN]]);
  expect((await neighboursToRerank(found, new Set(['rr-mine']), T0 + 600 * MIN, deps))[0]?.at).toBe(T0 + 600 * MIN);
});

test('rerank skips unknown incidents and stores a first ranking with its timeline entry', async () => {
  await store.openOrGetIncident(incident('inc-rr-first', 'rr-first', 900));
  const changed = await rerank(['inc-rr-missing', 'inc-rr-first'], T0 + 910 * MIN, deps);
  expect(changed.map((i) => i.id)).toEqual(['inc-rr-first']);
  expect((await store.getIncident('inc-rr-first'))?.attribution).toBe(changed[0]?.attribution);
  expect((await store.timeline('inc-rr-first')).filter((e) => e.kind === 'suspect')).toHaveLength(1);
  // Nothing new to say: unchanged, nothing stored.
  expect(await rerank(['inc-rr-first'], T0 + 910 * MIN, deps)).toEqual([]);
});
