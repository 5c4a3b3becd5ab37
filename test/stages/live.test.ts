/**
 * Detectors kept in memory between pull jobs, and states saved as a
 * checkpoint plus the inputs fed since (stages/live.ts, stages/score.ts).
 * Whatever path a job takes (the detector in memory, the checkpoint with
 * its inputs replayed, another process having scored the series, a commit
 * that failed), every score and the final state equal those of one
 * uninterrupted detector.
 */
import { createEnsembleFactory } from '../../src/detect/index.js';
import type { Point, Series, SeriesRef } from '../../src/domain/index.js';
import { autoCapacity, LiveDetectors } from '../../src/stages/live.js';
import {
  checkpointDue,
  commitScored,
  FED_CAP,
  FED_MAX,
  scoreSeries,
  type ScoreOptions,
} from '../../src/stages/score.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { gauss, rng } from '../detect/synth.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4);
const factory = createEnsembleFactory();

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

let n = 0;
function freshRef(): SeriesRef {
  const service = `svc${++n}`;
  return {
    key: `t:latency_p95_ms{service="${service}"}`,
    source: 't',
    metric: 'latency_p95_ms',
    service,
    labels: { service },
  };
}

/** A day of a noisy daily wave, a step up near the end, and a load for every other point. */
function data(seed: number): { points: Point[]; load: Map<number, number> } {
  const r = rng(seed);
  const points: Point[] = [];
  const load = new Map<number, number>();
  for (let i = 0; i < 1500; i++) {
    const t = T0 + i * MIN;
    points.push({ t, v: 200 + 50 * Math.sin((2 * Math.PI * i) / 1440) + 8 * gauss(r) + (i >= 1400 ? 120 : 0) });
    if (i % 2 === 0) load.set(t, 1000 + i);
  }
  return { points, load };
}

const opts = (live?: LiveDetectors, s: Store = store): ScoreOptions => ({
  store: s,
  detectors: factory,
  threshold: 0.5,
  sourceId: 't',
  onBadInput: () => undefined,
  onStateReset: (key, reason) => {
    throw new Error(`unexpected reset of ${key}: ${reason}`);
  },
  ...(live ? { live } : {}),
});

/** Scores `points` in jobs of `size` points, committing each; returns the scores' anomalies. */
async function inJobs(ref: SeriesRef, points: Point[], load: Map<number, number>, size: number, o: ScoreOptions) {
  const found: number[] = [];
  for (let i = 0; i < points.length; i += size) {
    const job: Series = { ref, points: points.slice(i, i + size) };
    const r = await scoreSeries(job, o, load);
    found.push(...r.anomalies.map((a) => a.t));
    await commitScored(o.store, 't', [r], [], o.live);
  }
  return found;
}

/** The detector as stored, brought to its last point: the checkpoint restored, then its inputs replayed. */
async function storedDetectorState(key: string, ref: SeriesRef): Promise<string> {
  const snap = await store.loadDetectorState(key);
  if (!snap) throw new Error('no state');
  const d = snap.state === null ? factory.create(ref) : factory.restore(ref, snap.state);
  for (const [t, v, l] of snap.fed ?? []) d.update({ t, v }, l ?? undefined);
  return JSON.stringify(d.snapshot());
}

describe('detectors kept in memory, states saved as a checkpoint and the inputs since', () => {
  const { points, load } = data(7);
  let reference: { anomalies: number[]; state: string };

  beforeAll(async () => {
    const ref = freshRef();
    const anomalies = await inJobs(ref, points, load, points.length, opts());
    reference = { anomalies, state: await storedDetectorState(ref.key, ref) };
    expect(anomalies.length).toBeGreaterThan(0); // the step is found: the comparison below means something
  });

  test.each([
    ['one point a job, detectors in memory', 1, 50_000],
    ['one point a job, nothing kept in memory (checkpoint and replay each job)', 1, 0],
    ['seven points a job, room for no detector but the last ones', 7, 1],
    ['60 points a job (a checkpoint every fourth job)', 60, 50_000],
    [`${FED_CAP + 1} points a job (a checkpoint every job)`, FED_CAP + 1, 50_000],
  ])('%s: the same anomalies and the same final state as one uninterrupted run', async (_name, size, capacity) => {
    const ref = freshRef();
    const anomalies = await inJobs(ref, points, load, size, opts(new LiveDetectors(capacity)));
    expect(anomalies).toEqual(reference.anomalies);
    expect(await storedDetectorState(ref.key, ref)).toBe(reference.state);
  });

  /** A first job long enough that its save is a checkpoint (checkpointDue: past FED_CAP inputs). */
  const FIRST = FED_CAP + 10;

  test('a new series is saved as a cold line (no state, every input since the start) until its first checkpoint is due', async () => {
    const ref = freshRef();
    const live = new LiveDetectors(10);
    for (let i = 0; i < FED_MAX; i++) await inJobs(ref, [points[i]!], load, 1, opts(live));
    const cold = await store.loadDetectorState(ref.key);
    expect(cold?.state).toBeNull();
    expect(cold?.fed?.map((x) => x[0])).toEqual(points.slice(0, FED_MAX).map((p) => p.t));
    await inJobs(ref, [points[FED_MAX]!], load, 1, opts(live));
    const due = await store.loadDetectorState(ref.key);
    expect(due?.state).not.toBeNull();
    expect(due?.fed).toBeUndefined();
  });

  test('between checkpoints a save keeps at most FED_MAX inputs, and the checkpoint is rewritten after that', async () => {
    const ref = freshRef();
    const live = new LiveDetectors(10);
    await inJobs(ref, points.slice(0, FIRST), load, FIRST, opts(live));
    const first = await store.loadDetectorState(ref.key);
    expect(first?.state).not.toBeNull();
    expect(first?.fed).toBeUndefined();
    for (let i = FIRST; i < FIRST + FED_MAX; i++) await inJobs(ref, [points[i]!], load, 1, opts(live));
    const before = await store.loadDetectorState(ref.key);
    expect(before?.fed).toHaveLength(FED_MAX);
    expect(before?.state).toEqual(first?.state);
    await inJobs(ref, [points[FIRST + FED_MAX]!], load, 1, opts(live));
    const after = await store.loadDetectorState(ref.key);
    expect(after?.fed).toBeUndefined();
    expect(after?.state).not.toEqual(first?.state);
  });

  test('with jobs of 60 points the checkpoint is rewritten every fourth job: past FED_MAX x sqrt(60) inputs', async () => {
    const ref = freshRef();
    const live = new LiveDetectors(10);
    await inJobs(ref, points.slice(0, FIRST), load, FIRST, opts(live));
    const first = await store.loadDetectorState(ref.key);
    const kept: number[] = [];
    for (let i = FIRST; i < FIRST + 4 * 60; i += 60) {
      await inJobs(ref, points.slice(i, i + 60), load, 60, opts(live));
      const now = await store.loadDetectorState(ref.key);
      kept.push(now?.fed?.length ?? 0);
      if (kept.length < 4) expect(now?.state).toEqual(first?.state);
      else expect(now?.state).not.toEqual(first?.state);
    }
    expect(kept).toEqual([60, 120, 180, 0]);
  });

  test('checkpointDue: FED_MAX inputs for one-point jobs, FED_MAX x sqrt(n) for n points, never past FED_CAP', () => {
    expect([checkpointDue(FED_MAX, 1), checkpointDue(FED_MAX + 1, 1)]).toEqual([false, true]);
    expect([checkpointDue(FED_MAX * 2, 4), checkpointDue(FED_MAX * 2 + 1, 4)]).toEqual([false, true]);
    expect([checkpointDue(FED_CAP, 10_000), checkpointDue(FED_CAP + 1, 10_000)]).toEqual([false, true]);
    expect(checkpointDue(FED_MAX + 1, 0)).toBe(true);
  });

  test('a series another process scored meanwhile is read from the store, not taken from memory', async () => {
    const ref = freshRef();
    const mine = new LiveDetectors(10);
    const theirs = new LiveDetectors(10);
    const found: number[] = [];
    // Two processes on one database take turns, 50 points at a time.
    for (let i = 0; i < points.length; i += 50) {
      const o = opts((i / 50) % 2 === 0 ? mine : theirs);
      found.push(...(await inJobs(ref, points.slice(i, i + 50), load, 5, o)));
    }
    expect(found).toEqual(reference.anomalies);
    expect(await storedDetectorState(ref.key, ref)).toBe(reference.state);
  });

  test('two processes taking turns point by point: each catches its detector up with the inputs the other fed it', async () => {
    const ref = freshRef();
    const from: string[] = [];
    const turn = (live: LiveDetectors) => ({ ...opts(live), onResumed: (f: string) => from.push(f) });
    const [mine, theirs] = [turn(new LiveDetectors(10)), turn(new LiveDetectors(10))];
    const found: number[] = [];
    for (let i = 0; i < points.length; i++)
      found.push(...(await inJobs(ref, [points[i]!], load, 1, i % 2 ? theirs : mine)));
    expect(found).toEqual(reference.anomalies);
    expect(await storedDetectorState(ref.key, ref)).toBe(reference.state);
    // Read from the store once, by the process that never had it; caught up ever after, across every
    // checkpoint either of them wrote (the row names the checkpoint it grew from).
    const count = (f: string) => from.filter((x) => x === f).length;
    expect(count('new')).toBe(1);
    expect(count('memory')).toBe(0);
    expect(count('store')).toBe(1);
    expect(count('caught-up')).toBe(points.length - 2);
  });

  test('a job whose commit failed leaves no detector in memory ahead of the store; the retry scores the same', async () => {
    const ref = freshRef();
    const live = new LiveDetectors(10);
    const o = opts(live);
    const found = await inJobs(ref, points.slice(0, 1000), load, 10, o);
    // A job that scores the next 10 points but never commits (its group failed, or its statement).
    const lost = await scoreSeries({ ref, points: points.slice(1000, 1010) }, o, load);
    expect(lost.scored).toBe(10);
    expect(live.size).toBe(0);
    found.push(...(await inJobs(ref, points.slice(1000), load, 10, o)));
    expect(found).toEqual(reference.anomalies);
    expect(await storedDetectorState(ref.key, ref)).toBe(reference.state);
  });
});

describe('LiveDetectors', () => {
  const entry = (lastT: number) => ({ detector: factory.create(freshRef()), version: 'v', lastT, fed: [], ckpt: null });

  test('holds at most its capacity; when full, a new series waits for an idle place; take removes', () => {
    let now = 0;
    const live = new LiveDetectors(2, 600_000, () => now);
    live.put('a', entry(1));
    live.put('b', entry(2));
    live.put('a', entry(3));
    now = 599_999;
    live.put('c', entry(4));
    expect(live.size).toBe(2);
    expect(live.take('c')).toBeUndefined();
    // b, put at 0, has been idle for the whole idle time: c takes its place.
    now = 600_000;
    live.put('c', entry(5));
    expect(live.take('b')).toBeUndefined();
    expect(live.take('a')?.lastT).toBe(3);
    expect(live.take('a')).toBeUndefined();
    expect(live.take('c')?.lastT).toBe(5);
  });

  test('with more series than places, every series coming round in turn, a fixed share of them hits', () => {
    let now = 0;
    const live = new LiveDetectors(3, 600_000, () => now);
    let hits = 0;
    for (let round = 0; round < 5; round++, now += 60_000) {
      for (const key of ['a', 'b', 'c', 'd', 'e']) {
        if (live.take(key)) hits++;
        live.put(key, entry(round));
      }
    }
    // Least recently used out first would evict each one just before its turn: no hit at all.
    expect(hits).toBe(3 * 4);
  });

  test("'auto' fills half of the heap limit at about 18 KB a detector", () => {
    expect(autoCapacity(4144 * 1024 * 1024)).toBe(117_873);
    expect(autoCapacity(8 * 1024 ** 3)).toBe(233_016);
    expect(autoCapacity(0)).toBe(0);
  });

  test('capacity 0 keeps nothing', () => {
    const live = new LiveDetectors(0);
    live.put('a', entry(1));
    expect(live.size).toBe(0);
  });
});
