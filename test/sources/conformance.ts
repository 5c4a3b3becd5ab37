/**
 * Behaviour every MetricSource must show (DESIGN.md: one conformance suite
 * per port), from the port's contract (src/sources/types.ts) and the types
 * it returns (src/domain/series.ts):
 * - `id` names the source, `stepMs` is a positive spacing in ms;
 * - `queries()` carry the source's id, unique ids and JSON params (queries
 *   travel inside queue jobs, so a round-tripped query is served the same);
 * - `fetch` returns every series of the query once (keys unique), each ref
 *   keyed by `seriesKey(source, metric, labels)` of this source, its points
 *   in [range.from, range.to), strictly ascending, at integer epoch ms,
 *   with values finite or NaN (a gap), never ±Infinity;
 * - fetching [a, m) then [m, b) loses nothing at the seam: together they
 *   hold exactly the points of [a, b);
 * - failures are VigilErrors whose `retryable` says whether to try again.
 *
 * Documented exceptions are declared by the caller, never guessed here:
 * `reReadMs` (CloudWatch re-reads a late window before `from`) and
 * `ignoresRange` (push serves every point not scored yet, whatever the range).
 * No test measures time.
 */
import { VigilError, seriesKey } from '../../src/domain/index.js';
import type { Series, TimeRange } from '../../src/domain/index.js';
import type { MetricSource, SourceQuery } from '../../src/sources/types.js';

export interface SourceFixture {
  readonly source: MetricSource;
  /** A query the source serves (default: its first query). */
  readonly query?: SourceQuery;
  /** A range over which `query` holds points; deliberately off the step grid is best. */
  readonly range: TimeRange;
  /** Frees what the fixture opened. */
  close?(): Promise<void>;
}

/** A way this source fails, with the retryable flag its docs promise. */
export interface SourceFailure {
  readonly name: string;
  readonly retryable: boolean;
  /** Resolves the fetch (or other call) that must reject. */
  run(): Promise<unknown>;
}

export interface SourceConformanceOptions {
  /** Documented: points may come from up to this many ms before `range.from` (a late window re-read). */
  readonly reReadMs?: number;
  /** Documented: `fetch` ignores the range (push: every point not yet scored). */
  readonly ignoresRange?: boolean;
  /** Upstream data may change between two calls (a live server): compare times, not values. */
  readonly volatile?: boolean;
  /** Failures to check; each builds its own source (e.g. a server that answers 503). */
  readonly failures?: () => Promise<readonly SourceFailure[]>;
}

type Flat = Map<string, Map<number, number>>;

function flatten(series: readonly Series[]): Flat {
  const out: Flat = new Map();
  for (const s of series) out.set(s.ref.key, new Map(s.points.map((p) => [p.t, p.v])));
  return out;
}

/** Comparable form: per key, [t, v] pairs in time order (NaN as the string 'NaN' so equality holds). */
function comparable(f: Flat, withValues: boolean): Record<string, Array<number | string>> {
  const out: Record<string, Array<number | string>> = {};
  for (const [key, pts] of [...f].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const rows = [...pts].sort((a, b) => a[0] - b[0]);
    if (rows.length === 0) continue;
    out[key] = rows.flatMap(([t, v]) => (withValues ? [t, Number.isNaN(v) ? 'NaN' : v] : [t]));
  }
  return out;
}

export function sourceConformance(
  name: string,
  makeFixture: () => Promise<SourceFixture>,
  opts: SourceConformanceOptions = {},
): void {
  describe(`MetricSource conformance: ${name}`, () => {
    let fx: SourceFixture;
    let query: SourceQuery;
    beforeAll(async () => {
      fx = await makeFixture();
      query = fx.query ?? (await fx.source.queries())[0]!;
    });
    afterAll(async () => {
      await fx?.close?.();
    });

    /** The contract every single fetch result keeps. */
    const expectWellFormed = (series: readonly Series[], range: TimeRange): void => {
      const keys = series.map((s) => s.ref.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const s of series) {
        expect(s.ref.source).toBe(fx.source.id);
        expect(s.ref.metric).not.toBe('');
        expect(s.ref.service).not.toBe('');
        expect(s.ref.key).toBe(seriesKey(s.ref.source, s.ref.metric, s.ref.labels));
        for (const [i, p] of s.points.entries()) {
          expect(Number.isSafeInteger(p.t)).toBe(true);
          if (!(Number.isFinite(p.v) || Number.isNaN(p.v)))
            throw new Error(`${s.ref.key} at ${p.t}: value ${p.v} is neither finite nor NaN`);
          if (i > 0 && !(p.t > s.points[i - 1]!.t))
            throw new Error(`${s.ref.key}: point ${i} at ${p.t} is not after ${s.points[i - 1]!.t}`);
          if (!opts.ignoresRange && (p.t < range.from - (opts.reReadMs ?? 0) || p.t >= range.to)) {
            throw new Error(
              `${s.ref.key}: point at ${p.t} outside [${range.from}${opts.reReadMs ? ` - ${opts.reReadMs}` : ''}, ${range.to})`,
            );
          }
        }
      }
    };

    it('names itself and a positive step', () => {
      expect(typeof fx.source.id).toBe('string');
      expect(fx.source.id).not.toBe('');
      expect(Number.isFinite(fx.source.stepMs)).toBe(true);
      expect(fx.source.stepMs).toBeGreaterThan(0);
    });

    it('lists queries of its own id, with unique ids and JSON-serialisable params', async () => {
      const queries = await fx.source.queries();
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect(q.sourceId).toBe(fx.source.id);
        expect(q.id).not.toBe('');
      }
      expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
      expect(JSON.parse(JSON.stringify(queries))).toEqual(queries);
    });

    it('fetches series keyed by seriesKey, each once, points ascending, in range, finite or NaN', async () => {
      const series = await fx.source.fetch(query, fx.range);
      expectWellFormed(series, fx.range);
      // The fixture promises data, so an empty answer is a failure, not a pass.
      expect(series.reduce((n, s) => n + s.points.length, 0)).toBeGreaterThan(1);
    });

    it('serves a query that travelled through JSON (a queue job) as the original', async () => {
      const travelled = JSON.parse(JSON.stringify(query)) as SourceQuery;
      const [a, b] = [await fx.source.fetch(query, fx.range), await fx.source.fetch(travelled, fx.range)];
      expectWellFormed(b, fx.range);
      expect(comparable(flatten(b), !opts.volatile)).toEqual(comparable(flatten(a), !opts.volatile));
    });

    // Documented for push: the range is not what it serves, so these two do not apply
    // (not registered at all: a skipped test in CI would read as a service that was missing).
    if (!opts.ignoresRange)
      describe('the range', () => {
        it('returns no point for an empty range [t, t)', async () => {
          const t = fx.range.from + Math.floor((fx.range.to - fx.range.from) / 2);
          const series = await fx.source.fetch(query, { from: t, to: t });
          expectWellFormed(series, { from: t, to: t });
          // With a re-read window, only points before t may come back.
          for (const s of series) for (const p of s.points) expect(p.t).toBeLessThan(t);
        });

        it('loses nothing at a seam: [a, m) and [m, b) hold exactly the points of [a, b)', async () => {
          const { from: a, to: b } = fx.range;
          const step = fx.source.stepMs;
          // Off the step grid on purpose: cursors are wall-clock times, not sample times.
          const m = a + Math.floor((b - a) / 2 / step) * step + Math.floor(step / 3) + 1;
          const first = await fx.source.fetch(query, { from: a, to: m });
          const second = await fx.source.fetch(query, { from: m, to: b });
          const whole = await fx.source.fetch(query, { from: a, to: b });
          expectWellFormed(first, { from: a, to: m });
          expectWellFormed(second, { from: m, to: b });
          const union: Flat = flatten(first);
          for (const [key, pts] of flatten(second)) {
            const into = union.get(key) ?? new Map<number, number>();
            for (const [t, v] of pts) {
              // A re-read point must agree with the first read (same data, read twice).
              if (into.has(t) && !opts.volatile) expect(Object.is(into.get(t), v) || into.get(t) === v).toBe(true);
              into.set(t, v);
            }
            union.set(key, into);
          }
          expect(comparable(union, !opts.volatile)).toEqual(comparable(flatten(whole), !opts.volatile));
          // Both halves hold data, or the seam was not tested.
          expect(first.some((s) => s.points.length > 0) && second.some((s) => s.points.some((p) => p.t >= m))).toBe(
            true,
          );
        });
      });

    it('fails with VigilErrors whose retryable says whether to try again', async () => {
      const failures = [
        // A query of this source with params it cannot serve: trying again changes nothing.
        {
          name: 'a query with params it cannot serve',
          retryable: false,
          run: () => fx.source.fetch({ ...query, params: { ...query.params, ...BAD_PARAMS } }, fx.range),
        },
        ...((await opts.failures?.()) ?? []),
      ];
      for (const f of failures) {
        const err = await f.run().then(
          () => new Error(`${f.name}: resolved`),
          (e: unknown) => e,
        );
        if (!(err instanceof VigilError)) throw new Error(`${f.name}: expected a VigilError, got ${String(err)}`);
        expect({ name: f.name, retryable: err.retryable }).toEqual({ name: f.name, retryable: f.retryable });
      }
    });
  });
}

/** Params no source accepts: every implementation validates its params' types. */
const BAD_PARAMS = { shard: 'x', of: 'y', path: 7, service: 7, promql: 7, periodSeconds: 'x', seed: 'x', metrics: 'x' };
