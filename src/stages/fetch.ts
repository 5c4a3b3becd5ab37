/**
 * The pull stage: fetches the job's range from the source that serves its
 * query, applies the service rules to every series, and stores the raw
 * points (finite values only) of the whole batch before anything is scored:
 * once a cursor moves past a point, charts and attribution still find it.
 * A source that serves a backlog (fetchPage) says what this page left.
 * Effects: recordFetched (the series, unless the source read them from the
 * store, and their points, usually one statement). A failing fetch or store
 * throws and fails the job (the queue retries it); no cursor has moved.
 */
import type { Fetched, PullJob, Stage } from './types.js';

export const fetchSeries: Stage<PullJob, Fetched> = async (job, deps) => {
  const source = deps.resolveSource(job.query);
  const page = source.fetchPage
    ? await source.fetchPage(job.query, job.range)
    : { series: await source.fetch(job.query, job.range), pendingSeries: 0, more: false };
  const series = page.series.map((s) => ({ ...s, ref: deps.mapService(s.ref) }));
  // A registered page's rows exist as read; only a ref the service rules changed is written.
  const changed = page.registered ? series.filter((s, i) => s.ref !== page.series[i]!.ref) : series;
  await deps.store.recordFetched(
    changed.map((s) => s.ref),
    series.map((s) => ({ seriesKey: s.ref.key, points: s.points.filter((p) => Number.isFinite(p.v)) })),
  );
  return { job, sourceId: source.id, series, page: { pendingSeries: page.pendingSeries, more: page.more } };
};
