/**
 * Replays recorded CSV series as a MetricSource; one query per service, which
 * fetches all of that service's files (layout in layout.ts, row rules in
 * csv.ts): a service's metrics arrive together, as from the push and
 * simulator sources, so CPU can be judged against the service's load
 * (stages/score.ts). Query params carry the root, so any
 * process can rebuild the source from a query. Effects: reads the files,
 * each once (parsed columns are cached; ranges are found by binary search).
 * Failures (VigilError, not retryable): E_REPLAY_OPTIONS for bad options,
 * E_REPLAY_READ naming a root/file that is missing or unreadable,
 * E_REPLAY_QUERY for a query of another source or root. Bad rows never fail:
 * they are skipped and reported through issues()/onIssue.
 */
import { readFile } from 'node:fs/promises';
import { VigilError, seriesKey } from '../../domain/index.js';
import type { Point, Series, SeriesRef, TimeRange } from '../../domain/index.js';
import type { SourceQuery } from '../types.js';
import { parseCsv } from './csv.js';
import type { ParsedCsv } from './csv.js';
import { discover } from './layout.js';
import type { ReplayFile } from './layout.js';
import type { ReplayIssue, ReplayOptions, ReplaySource } from './types.js';

const SOURCE_ID = 'replay';

/** First index whose time is >= t (columns are ascending). */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createReplaySource(opts: ReplayOptions): ReplaySource {
  const { root, onIssue } = opts;
  const stepMs = opts.stepMs ?? 60_000;
  if (typeof root !== 'string' || root === '')
    throw new VigilError('E_REPLAY_OPTIONS', 'replay: root must be a non-empty path');
  if (!Number.isInteger(stepMs) || stepMs <= 0)
    throw new VigilError('E_REPLAY_OPTIONS', `replay: stepMs must be a positive integer, got ${stepMs}`);

  const issues: ReplayIssue[] = [];
  // A failed listing is read again on the next call and finds the same issues: each is kept (and told) once,
  // or a long run retrying a bad root would grow the list without end.
  const reported = new Set<string>();
  const report = (issue: ReplayIssue) => {
    const key = JSON.stringify([issue.file, issue.line, issue.code, issue.reason]);
    if (reported.has(key)) return;
    reported.add(key);
    issues.push(issue);
    try {
      onIssue?.(issue);
    } catch {
      /* a faulty listener must not stop the replay */
    }
  };
  // Promises are cached so concurrent callers share one read; failures are dropped so a retry reads again.
  let files: Promise<Map<string, ReplayFile>> | null = null;
  const parsed = new Map<string, Promise<ParsedCsv>>();

  const listing = (): Promise<Map<string, ReplayFile>> => {
    files ??= discover(root, report).then((list) => new Map(list.map((f) => [f.rel, f])));
    files.catch(() => {
      files = null;
    });
    return files;
  };
  const load = (file: ReplayFile): Promise<ParsedCsv> => {
    let p = parsed.get(file.rel);
    if (!p) {
      p = readFile(file.path, 'utf8').then(
        (text) => {
          const result = parseCsv(text, file.path);
          result.issues.forEach(report);
          return result;
        },
        (err: unknown) => {
          parsed.delete(file.rel);
          throw new VigilError(
            'E_REPLAY_READ',
            `replay: cannot read "${file.path}": ${err instanceof Error ? err.message : String(err)}`,
            false,
            { cause: err },
          );
        },
      );
      parsed.set(file.rel, p);
    }
    return p;
  };
  const refOf = (f: ReplayFile): SeriesRef => {
    const labels = { service: f.service };
    return {
      key: seriesKey(SOURCE_ID, f.metric, labels),
      source: SOURCE_ID,
      metric: f.metric,
      service: f.service,
      labels,
    };
  };

  return {
    id: SOURCE_ID,
    stepMs,
    issues: () => [...issues],
    async queries(): Promise<SourceQuery[]> {
      const services = [...new Set([...(await listing()).values()].map((f) => f.service))];
      return services.map((service) => ({
        sourceId: SOURCE_ID,
        id: `${SOURCE_ID}:${service}`,
        params: { root, service },
      }));
    },
    async fetch(query: SourceQuery, range: TimeRange, signal?: AbortSignal): Promise<Series[]> {
      signal?.throwIfAborted();
      const { service } = query.params;
      if (query.sourceId !== SOURCE_ID || query.params.root !== root || typeof service !== 'string') {
        throw new VigilError('E_REPLAY_QUERY', `replay source for "${root}" cannot serve query ${query.id}`);
      }
      const files = [...(await listing()).values()].filter((f) => f.service === service);
      if (files.length === 0)
        throw new VigilError('E_REPLAY_QUERY', `replay: no files of service "${service}" under "${root}"`);
      const out: Series[] = [];
      for (const file of files) {
        const data = await load(file);
        signal?.throwIfAborted();
        const from = lowerBound(data.t, range.from);
        const to = Math.max(from, lowerBound(data.t, range.to));
        const points: Point[] = [];
        for (let i = from; i < to; i++) points.push({ t: data.t[i] ?? 0, v: data.v[i] ?? Number.NaN });
        out.push({ ref: refOf(file), points });
      }
      return out;
    },
    async dataRange(): Promise<TimeRange | null> {
      let first = Infinity;
      let last = -Infinity;
      for (const { t } of await Promise.all([...(await listing()).values()].map(load))) {
        const a = t[0];
        const b = t[t.length - 1];
        if (a !== undefined && a < first) first = a;
        if (b !== undefined && b > last) last = b;
      }
      return Number.isFinite(first) ? { from: first, to: last + 1 } : null;
    },
  };
}
