/** newChangeCause: does a deploy made during an open incident explain the anomalies that followed it? Real embedded store. */
import type { Anomaly, Incident } from '../../../src/domain/index.js';
import { compileLinks, newChangeCause } from '../../../src/correlate/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { MIN, T0, deploy, series, step } from './helpers.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

let n = 0;
/**
 * A service whose latency stepped 100 -> 250 at minute 120 (deploy A at 118 caused it, incident confirmed at 122),
 * then `later(minute)` from minute 150 on, with deploy B at `bAt`.
 */
async function scene(later: (m: number) => number, bAt: number | null) {
  const service = `svc-nc-${++n}`;
  const key = `sim:latency_p95_ms{service="${service}"}`;
  await store.upsertSeries({ key, source: 'sim', metric: 'latency_p95_ms', service, labels: {} });
  await store.insertPoints(
    key,
    series(0, 240, (m) => (m < 120 ? 100 : m < 150 ? 250 : later(m)), 0.05, n),
  );
  const a = deploy(`a${n}`, service, 118);
  await store.upsertDeployment(a);
  if (bAt !== null) await store.upsertDeployment(deploy(`b${n}`, service, bAt));
  const open: Incident = {
    id: `inc-${service}`,
    service,
    status: 'open',
    severity: 'high',
    openedAt: T0 + 120 * MIN,
    detectedAt: T0 + 122 * MIN,
    lastAnomalyAt: T0 + 130 * MIN,
    resolvedAt: null,
    seriesKeys: [key],
    services: [service],
    anomalyCount: 5,
    headline: {
      seriesKey: key,
      metric: 'latency_p95_ms',
      t: T0 + 120 * MIN,
      observed: 250,
      expected: 100,
      band: [90, 110],
      kind: 'level_shift',
      score: 0.9,
    },
    suspect: { deploymentId: a.id, confidence: 0.9, reason: 'x' },
    suspects: [{ deploymentId: a.id, confidence: 0.9, reason: 'x' }],
  };
  const fresh = (minute: number, observed: number): Anomaly => ({
    seriesKey: key,
    service,
    metric: 'latency_p95_ms',
    t: T0 + minute * MIN,
    observed,
    expected: 250,
    band: [230, 270],
    score: 0.8,
    kind: 'level_shift',
  });
  return { open, fresh, bId: `b${n}` };
}

const deps = { store: undefined as unknown as Store, links: compileLinks({}), lookback: 120 * MIN };
const cause = (open: Incident, fresh: Anomaly[], now: number) => newChangeCause(open, fresh, now, { ...deps, store });

describe('newChangeCause', () => {
  it('names a deploy made during the incident when the metric stepped again right after it', async () => {
    const s = await scene(step(152, 250, 600), 150);
    const found = await cause(s.open, [s.fresh(140, 262), s.fresh(152, 600), s.fresh(153, 610)], T0 + 170 * MIN);
    expect(found).toEqual({ since: T0 + 150 * MIN, reason: expect.stringContaining(`suspect ${s.bId}`) });
  });

  it('null when nothing was deployed after the incident was confirmed', async () => {
    const s = await scene(step(152, 250, 600), null);
    expect(await cause(s.open, [s.fresh(152, 600), s.fresh(153, 610)], T0 + 170 * MIN)).toBeNull();
  });

  it('null when the deploy changed nothing: the old deviation merely went on and the detector alerted on it again', async () => {
    const s = await scene(() => 250, 140);
    expect(await cause(s.open, [s.fresh(170, 262), s.fresh(171, 258)], T0 + 190 * MIN)).toBeNull();
  });

  it('null when the metric was already getting worse before the deploy (a leak), whatever the before/after test at the deploy says', async () => {
    const s = await scene((m) => 250 + 8 * (m - 150), 175);
    expect(await cause(s.open, [s.fresh(177, 460), s.fresh(178, 470)], T0 + 200 * MIN)).toBeNull();
  });

  it('null for a deploy that started after the anomalies began', async () => {
    const s = await scene(step(152, 250, 600), 160);
    expect(await cause(s.open, [s.fresh(152, 600), s.fresh(153, 610)], T0 + 170 * MIN)).toBeNull();
  });
});
