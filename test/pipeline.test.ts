/**
 * The pipeline end to end on embedded defaults: simulated fleet -> detect ->
 * incidents -> console notifier, plus the bad-input and retry guarantees.
 */
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { seriesKey, type Point, type Series, type SeriesRef } from '../src/domain/index.js';
import { buildApp, type App } from '../src/main.js';
import { createConsoleNotifier } from '../src/notify/console/index.js';
import { silentLogger } from '../src/observability/index.js';
import { failingOnce } from './support/failing-store.js';
import { notify, pull } from '../src/pipeline.js';
import { driveVirtualTime, queryCursorKey, type MetricSource, type SourceQuery } from '../src/sources/index.js';
import { createSimulator } from '../src/sources/simulator/index.js';

const MIN = 60_000;
const START = Date.UTC(2026, 0, 5);

function captured() {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

/** Runs `fn` against a fresh App on embedded defaults whose console output is captured; always closes it. */
async function withApp(fn: (a: App, out: ReturnType<typeof captured>) => Promise<void>): Promise<void> {
  const out = captured();
  const config = loadConfig({}, mkdtempSync(join(tmpdir(), 'vigil-pipe-')));
  const a = await buildApp(config, {
    consume: ['pull', 'notify'],
    ephemeralStore: true,
    log: silentLogger(),
    notifiers: [createConsoleNotifier(out.stream)],
  });
  try {
    await fn(a, out);
  } finally {
    await a.close();
  }
}

/** A MetricSource over fixed in-memory series: our own port, for shaping bad input. */
function fixedSource(series: Series[]): MetricSource {
  return {
    id: 'fixed',
    stepMs: MIN,
    queries: async () => [{ sourceId: 'fixed', id: 'all', params: {} }],
    fetch: async (_q, r) =>
      series.map((s) => ({ ref: s.ref, points: s.points.filter((p) => p.t >= r.from && p.t < r.to) })),
  };
}

function ref(metric: string): SeriesRef {
  const labels = { service: 'api' };
  return { key: seriesKey('fixed', metric, labels), source: 'fixed', metric, service: 'api', labels };
}

function wave(n: number, at: (i: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ t: START + i * MIN, v: at(i) }));
}

describe('pipeline on embedded defaults', () => {
  it('turns an injected regression into one incident that the console shows', async () => {
    await withApp(async (a, out) => {
      const sim = createSimulator({ seed: 3, start: START, stepMs: MIN, services: 2, durationMs: 86_400_000 });
      await driveVirtualTime({
        sources: [sim],
        queue: a.queue,
        from: START,
        to: START + 86_400_000,
        tickMs: 30 * MIN,
        beforeTick: async (from, to) => {
          for (const d of sim.scenario().deployments)
            if (d.startedAt >= from && d.startedAt < to) await a.store.upsertDeployment(d);
        },
      });
      const incidents = await a.store.listIncidents({ limit: 100 });
      const injected = sim.scenario().incidents;
      expect(injected.length).toBeGreaterThan(0);
      const caught = injected.filter((e) =>
        incidents.some((i) => i.service === e.service && i.openedAt < e.end && (i.resolvedAt ?? Infinity) >= e.start),
      );
      // Detection quality is measured by scripts/demo-quality.js (docs/benchmarks.md);
      // here: the flow from an injected regression to one incident works.
      expect(caught.length).toBeGreaterThan(0);
      // one incident per injected event: no event is covered by two incidents opened while it lasted
      for (const e of injected) {
        const during = incidents.filter((i) => i.service === e.service && i.openedAt >= e.start && i.openedAt < e.end);
        expect(during.length).toBeLessThanOrEqual(1);
      }
      expect(out.text()).toContain('OPENED');
      expect(out.text()).toMatch(/expected/);
    });
  });

  it('skips a NaN and a timestamp going backwards, and scores the rest and the other series', async () => {
    await withApp(async (a) => {
      const good = wave(300, (i) => 100 + Math.sin(i / 10));
      const bad = [
        ...wave(150, (i) => 50 + (i % 3)),
        { t: START + 150 * MIN, v: Number.NaN },
        { t: START + 100 * MIN, v: 51 },
        ...wave(300, (i) => 50 + (i % 3)).slice(151),
      ];
      const source = fixedSource([
        { ref: ref('bad'), points: bad },
        { ref: ref('good'), points: good },
      ]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const deps = { ...a.deps, resolveSource: () => source };
      const result = await pull({ query, range: { from: START, to: START + 300 * MIN } }, deps);
      expect(result.points).toBe(300 + 299);
      expect(await a.store.getCursor('fixed', ref('good').key)).toBe(START + 299 * MIN);
      expect(await a.store.getCursor('fixed', ref('bad').key)).toBe(START + 299 * MIN);
      const metrics = await a.metrics.registry.getSingleMetricAsString('vigil_bad_input_total');
      expect(metrics).toContain('kind="non_finite"} 1');
      expect(metrics).toContain('kind="time_backwards"} 1');
    });
  });

  it('never double-scores: a retried pull job adds no point, anomaly or incident', async () => {
    await withApp(async (a) => {
      const points = wave(400, (i) => (i >= 300 ? 500 : 100 + (i % 5)));
      const source = fixedSource([{ ref: ref('latency'), points }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const deps = { ...a.deps, resolveSource: () => source };
      const job = { query, range: { from: START, to: START + 400 * MIN } };
      const first = await pull(job, deps);
      const anomalies = await a.store.countAnomalies();
      const incidents = await a.store.listIncidents();
      const again = await pull(job, deps);
      expect(first.points).toBe(400);
      expect(again.points).toBe(0);
      expect(anomalies).toBeGreaterThan(0);
      expect(await a.store.countAnomalies()).toBe(anomalies);
      expect(await a.store.listIncidents()).toEqual(incidents);
      expect(incidents).toHaveLength(1);
    });
  });

  // Regression: a series that failed (a brief store error) was logged and the query's cursor still moved past its range, losing its points for good.
  it('retries a series that failed to score on the next pull instead of skipping past it', async () => {
    await withApp(async (a) => {
      const source = fixedSource([
        { ref: ref('flaky'), points: wave(120, (i) => 100 + (i % 4)) },
        { ref: ref('steady'), points: wave(120, (i) => 50 + (i % 3)) },
      ]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      // The batch's read fails, and then the flaky series' own read.
      const store = failingOnce(
        failingOnce(a.store, 'loadDetectorsIfChanged'),
        'loadDetectorIfChanged',
        (key) => key === ref('flaky').key,
      );
      const deps = { ...a.deps, store, resolveSource: () => source };
      const cursor = () => a.store.getCursor('fixed', queryCursorKey(query));
      const first = await pull({ query, range: { from: START, to: START + 120 * MIN } }, deps);
      expect(first.points).toBe(120);
      expect(await cursor()).toBeNull();
      // What the scheduler does next: from the query's cursor (or the same start) to now.
      const second = await pull({ query, range: { from: (await cursor()) ?? START, to: START + 121 * MIN } }, deps);
      expect(second.points).toBe(120);
      expect(await a.store.getCursor('fixed', ref('flaky').key)).toBe(START + 119 * MIN);
      expect(await cursor()).toBe(START + 121 * MIN);
    });
  });

  it('moves the query cursor with the commit of the scored series, and neither when that commit fails', async () => {
    await withApp(async (a) => {
      const source = fixedSource([{ ref: ref('steady'), points: wave(60, (i) => 50 + (i % 3)) }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const store = failingOnce(a.store, 'saveScored');
      const deps = { ...a.deps, store, resolveSource: () => source };
      const cursor = () => a.store.getCursor('fixed', queryCursorKey(query));
      const job = { query, range: { from: START, to: START + 60 * MIN } };
      expect((await pull(job, deps)).points).toBe(0);
      expect(await cursor()).toBeNull();
      expect(await a.store.getCursor('fixed', ref('steady').key)).toBeNull();
      expect((await pull(job, deps)).points).toBe(60);
      expect(await cursor()).toBe(START + 60 * MIN);
      expect(await a.store.getCursor('fixed', ref('steady').key)).toBe(START + 59 * MIN);
    });
  });

  // Regression: anomalies were stored and the detector state saved before the incident stage ran, so a store error there lost the incident for good (the retry found nothing new to score).
  it('scores a batch again when its incident stage failed, and the retry opens the incident', async () => {
    await withApp(async (a) => {
      const source = fixedSource([{ ref: ref('latency'), points: wave(400, (i) => (i >= 300 ? 500 : 100 + (i % 5))) }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const store = failingOnce(a.store, 'listIncidents');
      const deps = { ...a.deps, store, resolveSource: () => source };
      const job = { query, range: { from: START, to: START + 400 * MIN } };
      expect((await pull(job, deps)).points).toBe(0);
      expect(await a.store.listIncidents()).toHaveLength(0);
      expect(await a.store.getCursor('fixed', ref('latency').key)).toBeNull();
      expect((await pull(job, deps)).points).toBe(400);
      expect(await a.store.listIncidents()).toHaveLength(1);
    });
  });

  it('starts a series afresh when its stored detector state is unusable', async () => {
    await withApp(async (a) => {
      await a.store.saveDetectorState(ref('latency').key, { state: { kind: 'something-else' }, lastT: START - MIN });
      const source = fixedSource([{ ref: ref('latency'), points: wave(50, (i) => 100 + (i % 4)) }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const result = await pull(
        { query, range: { from: START, to: START + 50 * MIN } },
        { ...a.deps, resolveSource: () => source },
      );
      expect(result.points).toBe(50);
      expect(await a.metrics.registry.getSingleMetricAsString('vigil_bad_input_total')).toContain(
        'kind="detector_state_reset"} 1',
      );
    });
  });

  it('a warm-up (backfill) pull trains the detector and stores anomalies but opens no incident', async () => {
    await withApp(async (a, out) => {
      const source = fixedSource([{ ref: ref('history'), points: wave(400, (i) => (i >= 300 ? 500 : 100 + (i % 5))) }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const result = await pull(
        { query, range: { from: START, to: START + 400 * MIN }, warmup: true },
        { ...a.deps, resolveSource: () => source },
      );
      expect(result.points).toBe(400);
      expect(result.anomalies).toBeGreaterThan(0);
      expect(await a.store.loadDetectorState(ref('history').key)).not.toBeNull();
      expect(await a.store.listIncidents()).toEqual([]);
      expect(out.text()).toBe('');
    });
  });

  // Regression: two queries of one service pulled at once (two replay files
  // of one service) both advanced the same incident, and one update was lost.
  it('keeps both series when two queries of one service are pulled concurrently', async () => {
    await withApp(async (a) => {
      const step = (i: number) => (i >= 300 ? 500 : 100 + (i % 5));
      const series = { latency: wave(400, step), errors: wave(400, step) };
      const source: MetricSource = {
        id: 'fixed',
        stepMs: MIN,
        queries: async () => [],
        fetch: async (q, r) => [
          { ref: ref(q.id), points: series[q.id as 'latency' | 'errors'].filter((p) => p.t >= r.from && p.t < r.to) },
        ],
      };
      const deps = { ...a.deps, resolveSource: () => source };
      const range = { from: START, to: START + 400 * MIN };
      await Promise.all(
        ['latency', 'errors'].map((id) => pull({ query: { sourceId: 'fixed', id, params: {} }, range }, deps)),
      );
      const incidents = await a.store.listIncidents();
      expect(incidents).toHaveLength(1);
      expect(incidents[0]!.seriesKeys).toEqual([ref('errors').key, ref('latency').key].sort());
    });
  });
  it('drops a notify job of a silenced service and says so in the log, unless the job ignores silences', async () => {
    await withApp(async (a, out) => {
      const lines: string[] = [];
      const log = a.deps.log.child({});
      log.info = ((o: object, msg: string) => {
        lines.push(msg);
      }) as typeof log.info;
      const key = ref('latency').key;
      const { incident } = await a.store.openOrGetIncident({
        id: 'inc-silenced',
        service: 'api',
        status: 'open',
        severity: 'high',
        openedAt: START,
        lastAnomalyAt: START,
        resolvedAt: null,
        seriesKeys: [key],
        anomalyCount: 1,
        suspect: null,
        headline: {
          seriesKey: key,
          metric: 'latency',
          t: START,
          observed: 500,
          expected: 100,
          band: [90, 110],
          kind: 'spike',
          score: 0.9,
        },
      });
      await a.store.addSilence({
        id: 'sil-api',
        target: { kind: 'service', value: 'api' },
        until: Date.now() + 3_600_000,
        reason: 'maintenance',
        createdBy: 'U1',
        createdAt: Date.now(),
      });
      await notify({ incidentId: incident.id, event: 'opened', notifier: 'console' }, { ...a.deps, log });
      expect(out.text()).toBe('');
      expect(lines).toContain('notification dropped: service api is silenced');
      // What people asked for (a remediation run's progress) shows through the silence.
      await notify(
        { incidentId: incident.id, event: 'updated', notifier: 'console', ignoreSilences: true },
        { ...a.deps, log },
      );
      expect(out.text()).toContain('api');
    });
  });
});

describe('pipeline: evidence arriving from another service later', () => {
  /** A noisy level with a 2.5x step over [from, to) minutes. */
  const stepped = (n: number, base: number, from: number, to: number, seed: number) => {
    let x = seed;
    const rand = () => {
      x = (x * 9301 + 49297) % 233280;
      return x / 233280 - 0.5;
    };
    return wave(n, (i) => base * (i >= from && i < to ? 2.5 : 1) * (1 + 0.08 * rand()));
  };
  const sref = (service: string, metric: string): SeriesRef => {
    const labels = { service };
    return { key: seriesKey('fixed', metric, labels), source: 'fixed', metric, service, labels };
  };

  it("ranks an incident again when another service's anomalies at its onset arrive in a later batch", async () => {
    await withApp(async (a) => {
      // api deployed at minute 296; api and the database (never deployed) both get slower from minute 300 to 360.
      await a.store.upsertDeployment({
        id: 'api-7',
        service: 'api',
        environment: 'prod',
        version: '7',
        startedAt: START + 296 * MIN,
        finishedAt: START + 301 * MIN,
        status: 'succeeded',
        actor: 'alice',
        source: 'test',
        url: null,
        strategy: 'rolling',
      });
      const api = fixedSource([{ ref: sref('api', 'latency_p95_ms'), points: stepped(480, 100, 300, 360, 1) }]);
      const db = fixedSource([{ ref: sref('database', 'latency_p95_ms'), points: stepped(480, 12, 300, 360, 2) }]);
      const query: SourceQuery = { sourceId: 'fixed', id: 'all', params: {} };
      const range = { from: START, to: START + 480 * MIN };
      // One batch per service, api's first: its incident is ranked before the database's anomalies exist.
      await pull({ query, range }, { ...a.deps, resolveSource: () => api });
      const before = (await a.store.listIncidents({ service: 'api' })).find((i) => i.openedAt >= START + 296 * MIN);
      expect(before?.suspect?.deploymentId).toBe('api-7');
      await pull({ query, range }, { ...a.deps, resolveSource: () => db });
      const after = await a.store.getIncident(before!.id);
      expect(after?.suspect).toBeNull();
      expect(after?.attribution).toMatch(/competing explanation: database latency_p95_ms rose/);
      expect(
        (await a.store.timeline(before!.id)).filter((e) => e.kind === 'suspect').map((e) => e.data?.deploymentId),
      ).toEqual(['api-7', null]);
    });
  });
});
