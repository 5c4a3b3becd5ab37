import type { Anomaly, Incident } from '../../src/domain/index.js';
import { advance, confirmingStart, nothingToDo, type IncidentPolicy } from '../../src/incidents/index.js';
import { segments } from '../../src/incidents/lifecycle.js';
import { firstQuiet, outsideTimes } from '../../src/incidents/evidence.js';
import { openStore, type Store } from '../../src/store/index.js';
import { MIN, testPolicy } from '../support/policy.js';

const policy: IncidentPolicy = testPolicy;

function anomaly(t: number, over: Partial<Anomaly> = {}): Anomaly {
  return {
    seriesKey: 'sim:latency{service="checkout"}',
    service: 'checkout',
    metric: 'latency',
    t: t * MIN,
    observed: 400,
    expected: 200,
    band: [150, 250],
    score: 0.8,
    kind: 'level_shift',
    ...over,
  };
}

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

let service = 0;
/** Each test gets its own service so tests share one PGlite instance without interfering. */
function fresh(): (t: number, over?: Partial<Anomaly>) => Anomaly {
  const name = `svc${++service}`;
  return (t, over = {}) => anomaly(t, { service: name, seriesKey: `sim:latency{service="${name}"}`, ...over });
}

async function feed(batch: Anomaly[], now: number) {
  await store.insertAnomalies(batch);
  return advance({ service: batch[0]?.service ?? '', anomalies: batch, now: now * MIN }, { store, policy });
}

describe('incident lifecycle', () => {
  it('waits for confirmation, then opens once with the first anomaly as onset', async () => {
    const a = fresh();
    expect(await feed([a(100)], 100)).toEqual([]);
    const events = await feed([a(103)], 103);
    expect(events.map((e) => e.kind)).toEqual(['opened']);
    expect(events[0]!.incident.openedAt).toBe(100 * MIN);
    expect(events[0]!.incident.anomalyCount).toBe(2);
  });

  it('opens at once for a strong anomaly', async () => {
    const a = fresh();
    const events = await feed([a(10, { score: 0.99 })], 10);
    expect(events.map((e) => e.kind)).toEqual(['opened']);
  });

  it('never opens two incidents for the same anomalies, even when a batch is retried', async () => {
    const a = fresh();
    const batch = [a(200), a(201)];
    const first = await feed(batch, 201);
    const retry = await feed(batch, 201);
    expect(first.map((e) => e.kind)).toEqual(['opened']);
    expect(retry).toEqual([]);
    const all = await store.listIncidents({ service: batch[0]!.service });
    expect(all).toHaveLength(1);
    expect(all[0]!.anomalyCount).toBe(2);
  });

  it('updates on a new series and escalates, then resolves after the quiet period', async () => {
    const a = fresh();
    await feed([a(300), a(301)], 301);
    const more = await feed(
      [a(302, { seriesKey: 'sim:errors{}', metric: 'errors' }), a(303, { seriesKey: 'sim:cpu{}', metric: 'cpu' })],
      303,
    );
    expect(more.map((e) => e.kind)).toEqual(['updated']);
    expect(more[0]!.incident.seriesKeys).toHaveLength(3);
    const quiet = await advance({ service: a(0).service, anomalies: [], now: 318 * MIN }, { store, policy });
    expect(quiet.map((e) => e.kind)).toEqual(['resolved']);
    expect(quiet[0]!.incident.resolvedAt).toBe(318 * MIN);
    const timeline = await store.timeline(quiet[0]!.incident.id);
    expect(timeline.map((t) => t.kind)).toEqual(['opened', 'anomaly', 'anomaly', 'escalated', 'resolved']);
  });

  it('a larger deviation on a series already in the incident changes the headline: an update (the post is edited) that says so', async () => {
    const a = fresh();
    await feed([a(500), a(501)], 501);
    const bigger = await feed([a(503, { observed: 600 })], 503);
    expect(
      bigger.map((e) => [e.kind, e.incident.severity, e.incident.headline.observed, e.incident.headline.expected]),
    ).toEqual([['updated', 'medium', 600, 200]]);
    const timeline = await store.timeline(bigger[0]!.incident.id);
    expect(timeline.at(-1)).toMatchObject({ kind: 'headline', text: expect.stringContaining('was latency at 4.0') });
    // A smaller one changes nothing and edits nothing.
    expect(await feed([a(504, { observed: 500 })], 504)).toEqual([]);
  });

  it('re-opens the same incident when the service flaps within the window', async () => {
    const a = fresh();
    const [opened] = await feed([a(400), a(401)], 401);
    await advance({ service: a(0).service, anomalies: [], now: 420 * MIN }, { store, policy });
    const again = await feed([a(430), a(431)], 431);
    expect(again.map((e) => e.kind)).toEqual(['updated']);
    expect(again[0]!.incident.id).toBe(opened!.incident.id);
    expect(again[0]!.incident.status).toBe('open');
    expect(await store.listIncidents({ service: a(0).service })).toHaveLength(1);
  });

  it('opens a new incident after the flap window', async () => {
    const a = fresh();
    await feed([a(500), a(501)], 501);
    await advance({ service: a(0).service, anomalies: [], now: 520 * MIN }, { store, policy });
    const later = await feed([a(600), a(601)], 601);
    expect(later.map((e) => e.kind)).toEqual(['opened']);
    expect(await store.listIncidents({ service: a(0).service })).toHaveLength(2);
  });

  it('resolves a stale open incident before new anomalies after a long gap', async () => {
    const a = fresh();
    await feed([a(700), a(701)], 701);
    const events = await feed([a(800), a(801)], 801);
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'opened']);
    expect(events[0]!.incident.resolvedAt).toBe(716 * MIN);
  });
});

describe('a long batch (replay, backfill) decides as minute-by-minute pulls would', () => {
  const summary = (events: Awaited<ReturnType<typeof feed>>) =>
    events.map((e) => [e.kind, e.incident.openedAt / MIN, e.incident.resolvedAt && e.incident.resolvedAt / MIN]);

  it('three episodes an hour and more apart: three incidents, each resolved in its own quiet spell', async () => {
    const minutes = [900, 901, 1000, 1001, 1100, 1101];
    const a = fresh();
    const long = await feed(
      minutes.map((m) => a(m)),
      1130,
    );
    const b = fresh();
    const stepwise = [];
    for (let m = 900; m <= 1130; m++) {
      const batch = minutes.includes(m) ? [b(m)] : [];
      await store.insertAnomalies(batch);
      stepwise.push(...(await advance({ service: b(0).service, anomalies: batch, now: m * MIN }, { store, policy })));
    }
    expect(summary(stepwise)).toEqual([
      ['opened', 900, null],
      ['resolved', 900, 916],
      ['opened', 1000, null],
      ['resolved', 1000, 1016],
      ['opened', 1100, null],
      ['resolved', 1100, 1116],
    ]);
    expect(summary(long)).toEqual(summary(stepwise));
    expect(await store.listIncidents({ service: a(0).service })).toHaveLength(3);
  });
});

describe('segments', () => {
  const at = (...minutes: number[]) => minutes.map((m) => anomaly(m));
  it('cuts a batch at each gap of at least the quiet period: each part ends just before the next begins', () => {
    const parts = segments({ service: 's', anomalies: at(10, 12, 40, 41, 55), from: 0, now: 90 * MIN }, 15 * MIN);
    expect(parts.map((p) => [p.anomalies.map((x) => x.t / MIN), p.from, p.now / MIN])).toEqual([
      [[10, 12], 0, 40 - 1 / MIN],
      [[40, 41, 55], 40 * MIN, 90],
    ]);
  });

  it('is the batch itself with no gap or no anomaly', () => {
    const batch = { service: 's', anomalies: at(10, 20), now: 30 * MIN };
    expect(segments(batch, 15 * MIN)).toEqual([batch]);
    expect(segments({ service: 's', anomalies: [], now: 5 }, 15 * MIN)).toEqual([
      { service: 's', anomalies: [], now: 5 },
    ]);
  });
});

describe('confirmingStart', () => {
  const at = (t: number, score = 0.8) => anomaly(t, { score });
  it('needs count anomalies within the window', () => {
    expect(confirmingStart([at(0), at(20)], 2, 10 * MIN, 0.95)).toBeNull();
    expect(confirmingStart([at(0), at(20), at(25)], 2, 10 * MIN, 0.95)?.start.t).toBe(20 * MIN);
  });
  it('accepts one strong anomaly', () => {
    expect(confirmingStart([at(0), at(30, 0.97)], 2, 10 * MIN, 0.95)?.start.t).toBe(30 * MIN);
  });
  it('confirms a count only once one of its anomalies persists, at the later of the two times', () => {
    const [a, b] = [at(0), at(4)];
    expect(confirmingStart([a, b], 2, 10 * MIN, 0.95, () => undefined)).toBeNull();
    const late = confirmingStart([a, b], 2, 10 * MIN, 0.95, (x) => (x === b ? 7 * MIN : undefined));
    expect(late).toEqual({ start: a, at: 7 * MIN });
    const early = confirmingStart([a, b], 2, 10 * MIN, 0.95, (x) => (x === a ? 2 * MIN : undefined));
    expect(early).toEqual({ start: a, at: 4 * MIN });
  });
});

describe('several anomalies at once (confirmCount) with persistFor', () => {
  const persist: IncidentPolicy = { ...policy, persistFor: 3 };
  /** Two weak anomalies on two series of one service, 3 minutes apart, then the points after them. */
  async function run(after: { cpu: number[]; mem: number[] }) {
    const name = `svc${++service}`;
    const cpu = anomaly(100, { service: name, seriesKey: `sim:cpu{service="${name}"}`, metric: 'cpu', score: 0.5 });
    const mem = anomaly(103, { service: name, seriesKey: `sim:mem{service="${name}"}`, metric: 'mem', score: 0.5 });
    await store.insertAnomalies([cpu, mem]);
    await store.insertPoints(
      cpu.seriesKey,
      after.cpu.map((v, i) => ({ t: (101 + i) * MIN, v })),
    );
    await store.insertPoints(
      mem.seriesKey,
      after.mem.map((v, i) => ({ t: (104 + i) * MIN, v })),
    );
    return advance(
      { service: name, anomalies: [cpu, mem], from: 100 * MIN, now: 110 * MIN },
      { store, policy: persist },
    );
  }

  it('two one-sample blips on different metrics open nothing', async () => {
    expect(await run({ cpu: [205, 190, 210, 200], mem: [200, 215, 195] })).toEqual([]);
  });

  it('open once one of them persists, with the first as onset', async () => {
    const events = await run({ cpu: [205, 190, 210, 200], mem: [380, 390, 210] });
    expect(events.map((e) => e.kind)).toEqual(['opened']);
    expect(events[0]!.incident.openedAt).toBe(100 * MIN);
    expect(events[0]!.incident.detectedAt).toBe(105 * MIN);
  });
});

describe('persistence of a single strong anomaly (persistFor)', () => {
  const persist: IncidentPolicy = { ...policy, persistFor: 3 };
  async function run(values: number[], over: Partial<Anomaly> = {}) {
    const a = fresh();
    const strong = a(100, { score: 0.97, ...over });
    await store.insertAnomalies([strong]);
    await store.insertPoints(strong.seriesKey, [
      { t: 100 * MIN, v: 400 },
      ...values.map((v, i) => ({ t: (101 + i) * MIN, v })),
    ]);
    // First batch ends at the anomaly; the second brings the points after it and no new anomaly.
    const first = await advance(
      { service: strong.service, anomalies: [strong], now: 100 * MIN },
      { store, policy: persist },
    );
    const second = await advance(
      { service: strong.service, anomalies: [], from: 101 * MIN, now: (100 + values.length) * MIN },
      { store, policy: persist },
    );
    return { first, second };
  }

  it('waits for the points after it, then opens when the deviation persists, confirmed at the point that showed it', async () => {
    // expected 200, band edge 250: halfway is 225; two of the next three are beyond it.
    const { first, second } = await run([390, 210, 380]);
    expect(first).toEqual([]);
    expect(second.map((e) => e.kind)).toEqual(['opened']);
    expect(second[0]!.incident.openedAt).toBe(100 * MIN);
    expect(second[0]!.incident.detectedAt).toBe(103 * MIN);
  });

  it('opens as soon as enough of the points so far persist: the points still to come cannot undo it', async () => {
    // Two of the three next points beyond halfway already: the third is not waited for.
    const { second } = await run([390, 380]);
    expect(second.map((e) => e.kind)).toEqual(['opened']);
    expect(second[0]!.incident.detectedAt).toBe(102 * MIN);
    // One of two so far: it may still go either way, so it waits.
    const waiting = await run([390, 210]);
    expect([...waiting.first, ...waiting.second]).toEqual([]);
  });

  it('a blip that returns to normal opens nothing', async () => {
    const { first, second } = await run([205, 190, 230]);
    expect([...first, ...second]).toEqual([]);
  });

  it('a deviation back on the other side does not count as persisting', async () => {
    const { second } = await run([100, 120, 400]);
    expect(second).toEqual([]);
  });
  it('an anomaly at its own expected value (a level test fired after the forecast followed) has no deviation to persist', async () => {
    // The points after it are beyond halfway, as a ramp's would be; the anomaly itself sat at 205 of expected 200.
    const { first, second } = await run([390, 380, 370], { observed: 205 });
    expect([...first, ...second]).toEqual([]);
    // Halfway to the band edge itself (225) is a deviation: the same points then confirm it.
    const real = await run([390, 380, 370], { observed: 226 });
    expect(real.second.map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('improvements (a bad-when-high metric falling)', () => {
  const below: Partial<Anomaly> = { observed: 90, expected: 200, band: [150, 250] };
  const run = (batch: Anomaly[], now: number, over: Partial<IncidentPolicy> = {}) =>
    store
      .insertAnomalies(batch)
      .then(() =>
        advance(
          { service: batch[0]!.service, anomalies: batch, now: now * MIN },
          { store, policy: { ...policy, ...over } },
        ),
      );

  it('do not open an incident, however strong or many', async () => {
    const a = fresh();
    expect(await run([a(10, { ...below, score: 0.99 }), a(11, below), a(12, below)], 12)).toEqual([]);
    expect(await store.listIncidents({ service: a(0).service })).toEqual([]);
  });

  it('join the incident they follow', async () => {
    const a = fresh();
    expect((await run([a(10, { score: 0.99 })], 10)).map((e) => e.kind)).toEqual(['opened']);
    await run([a(14, { ...below, seriesKey: `${a(0).seriesKey}_p50`, metric: 'latency_p50' })], 14);
    const [open] = await store.listIncidents({ service: a(0).service });
    expect(open!.anomalyCount).toBe(2);
  });

  it('open one when openOnImprovement is set, and a metric that is bad when low still opens when it falls', async () => {
    const a = fresh();
    expect((await run([a(10, { ...below, score: 0.99 })], 10, { openOnImprovement: true })).map((e) => e.kind)).toEqual(
      ['opened'],
    );
    const b = fresh();
    expect((await run([b(10, { ...below, metric: 'success_rate', score: 0.99 })], 10)).map((e) => e.kind)).toEqual([
      'opened',
    ]);
  });
});

describe('demand (request rate: load from outside, not a fault)', () => {
  const surge: Partial<Anomaly> = {
    metric: 'requests_per_second',
    observed: 900,
    expected: 300,
    band: [250, 350],
    score: 0.99,
  };
  const run = (batch: Anomaly[], now: number, over: Partial<IncidentPolicy> = {}) =>
    store
      .insertAnomalies(batch)
      .then(() =>
        advance(
          { service: batch[0]!.service, anomalies: batch, now: now * MIN },
          { store, policy: { ...policy, ...over } },
        ),
      );

  it('a surge or a dip alone does not open an incident, however strong or many', async () => {
    const a = fresh();
    const dip = { ...surge, observed: 100 };
    expect(await run([a(10, surge), a(11, surge), a(12, dip), a(13, dip)], 13)).toEqual([]);
    expect(await store.listIncidents({ service: a(0).service })).toEqual([]);
  });

  it('joins the incident latency or errors opened', async () => {
    const a = fresh();
    expect((await run([a(10, { score: 0.99 })], 10)).map((e) => e.kind)).toEqual(['opened']);
    await run([a(12, { ...surge, seriesKey: `sim:requests_per_second{service="${a(0).service}"}` })], 12);
    const [open] = await store.listIncidents({ service: a(0).service });
    expect(open!.anomalyCount).toBe(2);
    expect(open!.seriesKeys).toContain(`sim:requests_per_second{service="${a(0).service}"}`);
  });

  it('opens one when openOnDemand is set', async () => {
    const a = fresh();
    expect((await run([a(10, surge)], 10, { openOnDemand: true })).map((e) => e.kind)).toEqual(['opened']);
  });
});

describe('a deviation that persists after its anomalies stop (the detector damps or adapts)', () => {
  /** An incident opened at minute 100 on a shift to 400 (onset band 150-250); then points only, each minute from 101. */
  async function opened(values: number[]) {
    const a = fresh();
    await feed([a(100, { score: 0.99 })], 100);
    await store.insertPoints(
      a(0).seriesKey,
      values.map((v, i) => ({ t: (101 + i) * MIN, v })),
    );
    return a;
  }
  const quiet = (a: ReturnType<typeof fresh>, now: number) =>
    advance({ service: a(0).service, anomalies: [], now: now * MIN }, { store, policy });

  it('keeps the incident open while its series stays outside the onset band, then resolves a quiet period after it returns', async () => {
    // Shifted until minute 160, back to normal from 161.
    const a = await opened([...Array(60).fill(400), ...Array(40).fill(200)]);
    expect(await quiet(a, 130)).toEqual([]);
    expect(await quiet(a, 160)).toEqual([]);
    expect(await quiet(a, 170)).toEqual([]);
    const done = await quiet(a, 200);
    expect(done.map((e) => e.kind)).toEqual(['resolved']);
    // As of the end of the quiet period after the last point outside the band, not of the batch.
    expect(done[0]!.incident.resolvedAt).toBe(175 * MIN);
  });

  it('a repeat alert on the same persisting shift continues the open incident: no resolve, no re-open, no new page', async () => {
    // The regression test for refractory 15: the detector alerts again on minute 116, after 16 quiet minutes.
    const a = await opened(Array(30).fill(400));
    const events = await feed([a(116, { score: 0.4, expected: 240, band: [200, 280] })], 116);
    expect(events).toEqual([]);
    const all = await store.listIncidents({ service: a(0).service });
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'open', anomalyCount: 2, lastAnomalyAt: 116 * MIN });
    expect((await store.timeline(all[0]!.id)).map((t) => t.kind)).toEqual(['opened']);
  });

  it('a CPU deviation goes on only beyond the load its service carries: busier hours alone resolve it', async () => {
    // CPU shifted at minute 100 (onset band 150-250) by a surge; from 101 CPU is 400 because the service carries
    // twice the load it had before onset (the day got busier), then in a second run 400 at the same load (a regression).
    const run = async (load: number) => {
      const a = fresh();
      const cpu = (t: number, over: Partial<Anomaly> = {}) =>
        a(t, { seriesKey: `sim:cpu_pct{service="${a(0).service}"}`, metric: 'cpu_pct', ...over });
      const svc = a(0).service;
      const loadKey = `sim:request_rate{service="${svc}"}`;
      await store.upsertSeries({ key: loadKey, source: 'sim', metric: 'request_rate', service: svc, labels: {} });
      await store.insertPoints(loadKey, [
        ...Array.from({ length: 30 }, (_, i) => ({ t: (70 + i) * MIN, v: 100 })),
        ...Array.from({ length: 60 }, (_, i) => ({ t: (100 + i) * MIN, v: load })),
      ]);
      await store.insertAnomalies([cpu(100, { score: 0.99 })]);
      await advance({ service: svc, anomalies: [cpu(100, { score: 0.99 })], now: 100 * MIN }, { store, policy });
      await store.insertPoints(
        cpu(0).seriesKey,
        Array.from({ length: 59 }, (_, i) => ({ t: (101 + i) * MIN, v: 400 })),
      );
      return advance({ service: svc, anomalies: [], now: 159 * MIN }, { store, policy });
    };
    expect((await run(200)).map((e) => e.kind)).toEqual(['resolved']);
    expect(await run(100)).toEqual([]);
  });

  it('a few noisy points outside the band do not hold a recovered incident open', async () => {
    const a = await opened([210, 190, 260, 200, 270, 205, 195, 200, 265, 200, 190, 200, 210, 200, 200, 200, 200, 200]);
    expect((await quiet(a, 115)).map((e) => e.kind)).toEqual(['resolved']);
  });

  it('after a real gap (the series was back in its band) new anomalies resolve the old incident first', async () => {
    const a = await opened(Array(40).fill(200));
    const events = await feed([a(140, { score: 0.99 })], 140);
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'updated']);
    expect(events[0]!.incident.resolvedAt).toBe(115 * MIN);
  });
});

describe('outsideTimes', () => {
  /** The last of them, or null. */
  const lastOutside = (...args: Parameters<typeof outsideTimes>) => outsideTimes(...args).at(-1) ?? null;
  const onset = anomaly(0);
  const pts = (vs: number[]) => vs.map((v, i) => ({ t: (i + 1) * MIN, v }));
  it('is the last point outside the band while most of the trailing window is', () => {
    expect(lastOutside(onset, pts([400, 400, 400, 200, 200, 200, 200]), 5 * MIN)).toBe(3 * MIN);
    expect(lastOutside(onset, pts([400, 400, 400, 200, 400, 200, 200]), 5 * MIN)).toBe(5 * MIN);
  });
  it('ignores the other side and lone outliers', () => {
    expect(lastOutside(onset, pts([100, 100, 100]), 5 * MIN)).toBeNull();
    expect(lastOutside(onset, pts([200, 200, 200, 200, 400]), 5 * MIN)).toBeNull();
  });
  it('follows a downward onset below its band', () => {
    const down = anomaly(0, { metric: 'requests', observed: 50, expected: 200, band: [150, 250] });
    expect(lastOutside(down, pts([50, 60, 200]), 5 * MIN)).toBe(2 * MIN);
  });
});

describe('firstQuiet', () => {
  it('is the start of the first quiet stretch, whatever evidence comes after it', () => {
    // Evidence at 3 and 25: quiet 3..18 is the first stretch of 15, whether the batch ends at 20 or at 60.
    expect(firstQuiet(0, [25 * MIN, 3 * MIN], 20 * MIN, 15 * MIN)).toBe(3 * MIN);
    expect(firstQuiet(0, [25 * MIN, 3 * MIN], 60 * MIN, 15 * MIN)).toBe(3 * MIN);
  });
  it('is null while no stretch is long enough by the end; evidence exactly a window later breaks one', () => {
    expect(firstQuiet(0, [3 * MIN, 10 * MIN], 24 * MIN, 15 * MIN)).toBeNull();
    expect(firstQuiet(0, [15 * MIN, 30 * MIN], 44 * MIN, 15 * MIN)).toBeNull();
    expect(firstQuiet(0, [15 * MIN, 30 * MIN], 45 * MIN, 15 * MIN)).toBe(30 * MIN);
  });
});

describe('a new change while an incident is open (ctx.newCause)', () => {
  /** newCause blames anomalies from minute `from` on; it sees the open incident and the fresh anomalies. */
  const blaming =
    (from: number, seen: Anomaly[][] = []) =>
    async (open: Incident, fresh: readonly Anomaly[]) => {
      seen.push([...fresh]);
      const after = (open.detectedAt ?? open.openedAt) < from * MIN;
      return after && fresh.some((a) => a.t >= from * MIN)
        ? { since: from * MIN, reason: 'checkout v2 started 2 min before onset' }
        : null;
    };
  const run = (
    batch: Anomaly[],
    now: number,
    service: string,
    newCause: NonNullable<Parameters<typeof advance>[1]['newCause']>,
  ) =>
    store
      .insertAnomalies(batch)
      .then(() => advance({ service, anomalies: batch, now: now * MIN }, { store, policy, newCause }));

  it('supersedes the open incident and opens a new one with its own onset, not a flap re-open', async () => {
    const a = fresh();
    const svc = a(0).service;
    const cause = blaming(110);
    await run([a(100, { score: 0.99 })], 100, svc, cause);
    const events = await run([a(110, { score: 0.99, observed: 900 })], 110, svc, cause);
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'opened']);
    const [old, next] = [events[0]!.incident, events[1]!.incident];
    expect(old).toMatchObject({ status: 'resolved', resolvedAt: 110 * MIN, anomalyCount: 1 });
    expect(next).toMatchObject({ status: 'open', openedAt: 110 * MIN, suspectsSince: 110 * MIN });
    expect(old.suspectsSince).toBeUndefined();
    expect(next.id).not.toBe(old.id);
    expect((await store.timeline(old.id)).at(-1)!.text).toMatch(
      /^superseded: .*checkout v2 started 2 min before onset/,
    );
    // More anomalies join the new incident; the superseded one, resolved within the flap window, stays resolved.
    expect((await run([a(115)], 115, svc, blaming(Infinity))).map((e) => e.kind)).toEqual([]);
    const all = await store.listIncidents({ service: svc });
    expect(all.map((i) => [i.id, i.status, i.anomalyCount])).toEqual(
      expect.arrayContaining([
        [old.id, 'resolved', 1],
        [next.id, 'open', 2],
      ]),
    );
  });

  it('a service that resolved and deviates again within the flap window after a new change opens a new incident, not a re-open', async () => {
    const a = fresh();
    const svc = a(0).service;
    const cause = blaming(128);
    await run([a(100, { score: 0.99 })], 100, svc, cause);
    const quiet = await run([], 118, svc, cause);
    expect(quiet.map((e) => [e.kind, e.incident.resolvedAt])).toEqual([['resolved', 115 * MIN]]);
    const old = quiet[0]!.incident;
    const events = await run([a(130, { score: 0.99 })], 130, svc, cause);
    expect(events.map((e) => e.kind)).toEqual(['opened']);
    expect(events[0]!.incident).toMatchObject({ status: 'open', openedAt: 130 * MIN, suspectsSince: 128 * MIN });
    expect(events[0]!.incident.id).not.toBe(old.id);
    expect(await store.listIncidents({ service: svc, status: 'resolved' })).toMatchObject([
      { id: old.id, anomalyCount: 1 },
    ]);
    expect((await store.timeline(old.id)).at(-1)).toMatchObject({
      kind: 'note',
      text: expect.stringMatching(/^not re-opened: .*new change.*checkout v2 started 2 min before onset/),
    });
    // With no new change the same flap re-opens the resolved incident (the test above, 'flaps within the window').
  });

  it('waits while the new anomalies are unconfirmed, without folding them into the old incident', async () => {
    const a = fresh();
    const svc = a(0).service;
    const cause = blaming(110);
    await run([a(100, { score: 0.99 })], 100, svc, cause);
    expect(await run([a(110, { score: 0.5 })], 110, svc, cause)).toEqual([]);
    expect((await store.listIncidents({ service: svc }))[0]).toMatchObject({ status: 'open', anomalyCount: 1 });
    const events = await run([a(112, { score: 0.5 })], 112, svc, cause);
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'opened']);
    expect(events[1]!.incident).toMatchObject({ openedAt: 110 * MIN, anomalyCount: 2 });
  });

  it('in one long batch, the anomalies from before the change stay with the old incident', async () => {
    const a = fresh();
    const svc = a(0).service;
    const cause = blaming(108);
    await run([a(100, { score: 0.99 })], 100, svc, cause);
    const events = await run([a(104), a(105), a(108, { score: 0.99 }), a(109)], 110, svc, cause);
    expect(events.map((e) => e.kind)).toEqual(['resolved', 'opened']);
    expect(events[0]!.incident).toMatchObject({ anomalyCount: 3, lastAnomalyAt: 105 * MIN, resolvedAt: 108 * MIN });
    expect(events[1]!.incident).toMatchObject({ openedAt: 108 * MIN, anomalyCount: 2 });
  });

  it('a batch that opens an incident and then holds a new change opens, supersedes and opens again, in that order', async () => {
    const a = fresh();
    const svc = a(0).service;
    const events = await run(
      [a(100, { score: 0.99 }), a(103), a(108, { score: 0.99 }), a(109)],
      110,
      svc,
      blaming(108),
    );
    expect(events.map((e) => [e.kind, e.incident.openedAt / MIN, e.incident.anomalyCount])).toEqual([
      ['opened', 100, 2],
      ['resolved', 100, 2],
      ['opened', 108, 2],
    ]);
    expect(events[1]!.incident.resolvedAt).toBe(108 * MIN);
    expect(events.map((e) => e.incident.suspectsSince)).toEqual([undefined, undefined, 108 * MIN]);
  });

  it('without a new cause, later anomalies join the open incident; recovery is never asked about', async () => {
    const a = fresh();
    const svc = a(0).service;
    const seen: Anomaly[][] = [];
    const cause = blaming(Infinity, seen);
    await run([a(100, { score: 0.99 })], 100, svc, cause);
    expect(await run([a(105, { observed: 100, expected: 200 }), a(106)], 106, svc, cause)).toEqual([]);
    expect(await store.listIncidents({ service: svc })).toMatchObject([{ status: 'open', anomalyCount: 3 }]);
    expect(seen.at(-1)!.map((x) => x.t)).toEqual([106 * MIN]);
  });
});

describe('nothingToDo: a quiet batch the lifecycle stage may skip', () => {
  const persisting: IncidentPolicy = { ...policy, persistFor: 3 };
  const quiet = (service: string, from: number, now: number) => ({
    service,
    anomalies: [],
    from: from * MIN,
    now: now * MIN,
  });

  it('is true with no anomaly near and no open incident, and then advance changes nothing', async () => {
    const a = fresh();
    const name = a(0).service;
    expect(await nothingToDo(quiet(name, 100, 110), { store, policy })).toBe(true);
    expect(await advance(quiet(name, 100, 110), { store, policy })).toEqual([]);
  });

  it('is false for a strong anomaly of an earlier batch that the points of a quiet batch confirm', async () => {
    const a = fresh();
    const strong = a(100, { score: 0.99 });
    await store.insertAnomalies([strong]);
    // Not yet: no points after it show that it persists.
    expect(
      await advance({ service: strong.service, anomalies: [strong], now: 100 * MIN }, { store, policy: persisting }),
    ).toEqual([]);
    await store.insertPoints(
      strong.seriesKey,
      [101, 102, 103].map((t) => ({ t: t * MIN, v: 400 })),
    );
    // The next batch holds no anomaly of its own, and it opens the incident.
    const batch = quiet(strong.service, 101, 103);
    expect(await nothingToDo(batch, { store, policy: persisting })).toBe(false);
    expect((await advance(batch, { store, policy: persisting })).map((e) => e.kind)).toEqual(['opened']);
    // Once opened, a quiet batch still has an incident to keep or resolve.
    expect(await nothingToDo(quiet(strong.service, 200, 300), { store, policy: persisting })).toBe(false);
  });

  it('is false for a batch with anomalies of its own', async () => {
    const a = fresh();
    expect(await nothingToDo({ service: a(0).service, anomalies: [a(5)], now: 5 * MIN }, { store, policy })).toBe(
      false,
    );
  });
});
