/**
 * wait-and-verify: watches the incident for `window`, then reads its series
 * and reports "recovered" or "not recovered" with the numbers: each watched
 * series' recent value against its pre-onset expected value and band
 * (recovery.ts). Watched: the incident's series whose metric matches
 * `metrics` (all of them when empty). Recovered when every watched series
 * is back in its band and no new anomaly arrived on a watched metric.
 * Read-only, so it runs in dry-run too.
 * Effects: reads anomalies and points from the store; no writes. Times are
 * data times, which equal wall time for live sources.
 * Failure modes: an abort (step timeout) rejects; a store error rejects.
 */
import { z } from 'zod';
import { parseDuration } from '../../domain/duration.js';
import { DURATION_RE } from '../playbook/schema.js';
import { matchesAny } from '../playbook/glob.js';
import type { Action } from '../types.js';
import { baselines, describeRecovery, judge } from './recovery.js';

const params = z
  .object({
    window: z.string().regex(DURATION_RE, { message: 'a duration such as "10m"' }),
    metrics: z.array(z.string().min(1).max(200)).default([]),
  })
  .strict();
type Params = z.output<typeof params>;

/** At most this many series are read and named in the summary. */
const MAX_SERIES = 10;

export const waitAndVerify: Action<Params> = {
  name: 'wait-and-verify',
  effect: 'read',
  params,
  timeoutMs: (p) => (parseDuration(p.window) ?? 0) + 60_000,
  plan: (p) => [
    `watch ${p.metrics.length ? `metrics ${p.metrics.join(', ')}` : "the incident's series"} for ${p.window}; then compare them with their pre-onset expected values and bands`,
  ],
  async run(p, ctx) {
    const i = ctx.incident;
    const since = ctx.now();
    await ctx.sleep(parseDuration(p.window) ?? 0, ctx.signal);
    const until = ctx.now();
    const services = i.services ?? [i.service];
    const all = await ctx.store.listAnomalies({ services, since: i.openedAt });
    const wanted = (metric: string) => p.metrics.length === 0 || matchesAny(metric, p.metrics);
    const watched = baselines(i, all)
      .filter((b) => wanted(b.metric))
      .slice(0, MAX_SERIES);
    const during = all.filter((a) => a.t >= since && a.t <= until);
    const results = await Promise.all(
      watched.map(async (b) =>
        judge(
          b,
          await ctx.store.listPoints(b.seriesKey, { from: since, to: until + 1 }),
          during.filter((a) => a.seriesKey === b.seriesKey).length,
        ),
      ),
    );
    // A watched metric that turned anomalous on a series the incident did not have yet also counts.
    const elsewhere = p.metrics.length
      ? during.filter((a) => wanted(a.metric) && !watched.some((b) => b.seriesKey === a.seriesKey)).length
      : 0;
    const recovered = results.length > 0 ? results.every((r) => r.recovered) && elsewhere === 0 : elsewhere === 0;
    const lines = results.map(describeRecovery);
    if (elsewhere) lines.push(`${elsewhere} new anomalies on other series of the watched metrics`);
    const summary = `${recovered ? 'recovered' : 'not recovered'} after ${p.window}: ${lines.join('; ') || 'no series of the incident matches the watched metrics'}`;
    return {
      ok: recovered,
      summary,
      data: {
        recovered,
        series: results.map((r) => ({
          seriesKey: r.seriesKey,
          observed: r.observed,
          expected: r.expected,
          band: r.band,
          recovered: r.recovered,
        })),
      },
    };
  },
};
