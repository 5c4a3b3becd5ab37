/**
 * The load the fault tests push and what they check afterwards.
 * - `workload()`: a few services' series of recent one-minute points
 *   (seeded noise, a level shift on some services so incidents open), cut
 *   into push requests of a few points per series each.
 * - `pushAll()`: sends them to POST /api/v1/metrics in order as a careful
 *   client does: a 503 must carry Retry-After, and the request is sent again
 *   after that wait; any other answer but 202 fails the test.
 * - `reference()`: the same points scored in this process by the detector
 *   the config selects, one point after another: the detector states and
 *   anomalies a run without faults ends with (same input, same output).
 * - `storeFacts()`: what the database holds, read with a plain pg client.
 */
import pg from 'pg';
import { seriesKey, type Point, type SeriesRef } from '../../../src/domain/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { detectorFor } from '../../../src/main.js';
import { mulberry32 } from '../../../src/bench/synthetic.js';

export const PUSH_TOKEN = 'fault-test-push-token-0123456789';
const MIN = 60_000;

export interface PushedSeries {
  readonly ref: SeriesRef;
  readonly points: Point[];
}
export interface Workload {
  readonly series: PushedSeries[];
  readonly requests: string[];
  readonly points: number;
}

export interface WorkloadOptions {
  /** Points per series. */
  readonly length: number;
  /** Points per series in one request. */
  readonly perRequest: number;
  /** service -> [first, last) index of a level shift. */
  readonly shifts: Readonly<Record<string, readonly [number, number]>>;
  readonly services: readonly string[];
}

export function workload(o: WorkloadOptions): Workload {
  // Recent data (metric_points are pruned after two days), on whole minutes.
  const start = Math.floor(Date.now() / MIN) * MIN - (o.length + 60) * MIN;
  const series: PushedSeries[] = [];
  let seed = 1;
  for (const service of o.services) {
    for (const [metric, level, noise] of [
      ['latency_p95', 120, 6],
      ['error_rate', 2, 0.3],
    ] as const) {
      const labels = { service };
      const ref: SeriesRef = { key: seriesKey('push', metric, labels), source: 'push', metric, service, labels };
      const r = mulberry32(seed++);
      const shift = o.shifts[service];
      const points = Array.from({ length: o.length }, (_, i) => {
        const shifted = shift !== undefined && i >= shift[0] && i < shift[1];
        const v = level * (shifted ? 4 : 1) + (r() - 0.5) * 2 * noise + Math.sin(i / 30) * noise;
        return { t: start + i * MIN, v: Math.round(v * 1000) / 1000 };
      });
      series.push({ ref, points });
    }
  }
  const requests: string[] = [];
  for (let i = 0; i < o.length; i += o.perRequest) {
    requests.push(
      JSON.stringify({
        series: series.map((s) => ({
          metric: s.ref.metric,
          service: s.ref.service,
          points: s.points.slice(i, i + o.perRequest),
        })),
      }),
    );
  }
  return { series, requests, points: series.reduce((n, s) => n + s.points.length, 0) };
}

export interface PushReport {
  accepted: number;
  duplicates: number;
  /** 503 answers (each carried Retry-After and its request was sent again). */
  refused: number;
  /** The Retry-After of each 503. */
  retryAfters: string[];
}

/**
 * Sends every request in order; `between` runs after each 202 with its index
 * (the tests inject their fault from there). A 503 without Retry-After, or
 * any other status, throws.
 */
export async function pushAll(
  baseUrl: string,
  requests: readonly string[],
  between?: (i: number, report: PushReport) => Promise<void>,
): Promise<PushReport> {
  const report: PushReport = { accepted: 0, duplicates: 0, refused: 0, retryAfters: [] };
  for (let i = 0; i < requests.length; i++) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${baseUrl}/api/v1/metrics`, {
        method: 'POST',
        body: requests[i],
        headers: { authorization: `Bearer ${PUSH_TOKEN}`, 'content-type': 'application/json' },
      });
      const body = (await res.json()) as { accepted?: number; duplicates?: number };
      if (res.status === 202) {
        report.accepted += body.accepted ?? 0;
        // Only a retried request may meet its own points again (its first try committed, the answer was lost).
        if ((body.duplicates ?? 0) > 0 && attempt === 0)
          throw new Error(`request ${i} got duplicates on its first try: ${JSON.stringify(body)}`);
        report.duplicates += body.duplicates ?? 0;
        break;
      }
      const retryAfter = res.headers.get('retry-after');
      if (res.status !== 503 || retryAfter === null)
        throw new Error(`request ${i}: ${res.status} ${JSON.stringify(body)} (retry-after ${String(retryAfter)})`);
      if (attempt > 40) throw new Error(`request ${i} still refused after ${attempt} tries`);
      report.refused++;
      report.retryAfters.push(retryAfter);
      await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000));
    }
    await between?.(i, report);
  }
  return report;
}

export interface Reference {
  readonly states: Map<string, { state: unknown; lastT: number }>;
  readonly anomalies: Set<string>;
  /** A stored detector (its checkpoint, the inputs fed since) brought to its last point, as JSON: what `states` holds. */
  readonly current: (ref: SeriesRef, stored: StoredState) => unknown;
}

/** A detector_state row: a checkpoint (null: none) and the inputs fed since. */
export interface StoredState {
  readonly state: unknown;
  readonly fed: ReadonlyArray<readonly [number, number, number | null]>;
  readonly lastT: number;
}

/** Scores every series point by point in this process with the detector `vigil.yaml` in `cwd` selects. */
export function reference(w: Workload, cwd: string): Reference {
  const config = loadConfig({}, cwd);
  const factory = detectorFor(config);
  const states = new Map<string, { state: unknown; lastT: number }>();
  const anomalies = new Set<string>();
  for (const s of w.series) {
    const d = factory.create(s.ref);
    for (const p of s.points) {
      const score = d.update(p);
      if (score.value >= config.detection.threshold && score.kind !== null) anomalies.add(`${s.ref.key}@${p.t}`);
    }
    states.set(s.ref.key, { state: JSON.parse(JSON.stringify(d.snapshot())) as unknown, lastT: s.points.at(-1)!.t });
  }
  const current = (ref: SeriesRef, stored: StoredState): unknown => {
    const d = stored.state === null ? factory.create(ref) : factory.restore(ref, stored.state);
    for (const [t, v, load] of stored.fed) d.update({ t, v }, load ?? undefined);
    return JSON.parse(JSON.stringify(d.snapshot())) as unknown;
  };
  return { states, anomalies, current };
}

export interface StoreFacts {
  /** series key -> raw points stored. */
  readonly points: Map<string, number>;
  readonly pending: number;
  readonly states: Map<string, StoredState>;
  readonly anomalies: string[];
  readonly incidents: Array<{
    id: string;
    service: string;
    status: 'open' | 'resolved';
    anomalyCount: number;
    openedAt: number;
    lastAnomalyAt: number;
    seriesKeys: string[];
  }>;
  /** incident id -> timeline entries as "kind at text". */
  readonly timelines: Map<string, string[]>;
}

export async function storeFacts(url: string): Promise<StoreFacts> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const points = new Map(
      (
        await c.query<{ k: string; n: number }>(
          'SELECT series_key AS k, count(*)::int AS n FROM metric_points GROUP BY 1',
        )
      ).rows.map((r) => [r.k, r.n]),
    );
    const pending = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pushed_points')).rows[0]!.n;
    const states = new Map(
      (
        await c.query<{ k: string; state: unknown; fed: string | null; t: string }>(
          'SELECT series_key AS k, state, fed, last_t::text AS t FROM detector_state',
        )
      ).rows.map((r) => [
        r.k,
        { state: r.state, fed: r.fed === null ? [] : (JSON.parse(r.fed) as StoredState['fed']), lastT: Number(r.t) },
      ]),
    );
    const anomalies = (
      await c.query<{ k: string; t: string }>('SELECT series_key AS k, t::text AS t FROM anomalies')
    ).rows.map((r) => `${r.k}@${r.t}`);
    const incidents = (
      await c.query<{ doc: StoreFacts['incidents'][number] }>('SELECT doc FROM incidents ORDER BY opened_at')
    ).rows.map((r) => r.doc);
    const timelines = new Map<string, string[]>();
    for (const r of (
      await c.query<{ id: string; e: string }>(
        `SELECT incident_id AS id, kind || ' ' || at || ' ' || text AS e FROM incident_timeline ORDER BY seq`,
      )
    ).rows) {
      timelines.set(r.id, [...(timelines.get(r.id) ?? []), r.e]);
    }
    return { points, pending, states, anomalies, incidents, timelines };
  } finally {
    await c.end();
  }
}

/** True once every pushed point is scored: nothing pending and every series' detector at its last point. */
export async function allScored(url: string, w: Workload): Promise<boolean> {
  const f = await storeFacts(url);
  return f.pending === 0 && w.series.every((s) => f.states.get(s.ref.key)?.lastT === s.points.at(-1)!.t);
}
