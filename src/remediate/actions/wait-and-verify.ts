/**
 * wait-and-verify: watches the incident for `window`, then reports whether it
 * recovered: recovered when no new anomaly arrived on the watched series
 * (metric globs, or else the incident's own series) after the wait began.
 * Effects: reads anomalies from the store; no writes. Times are compared with
 * the anomalies' data time, which equals wall time for live sources.
 * Failure modes: an abort (step timeout) rejects; a store error rejects.
 */
import { z } from 'zod';
import { parseDuration } from '../../domain/duration.js';
import { DURATION_RE } from '../playbook/schema.js';
import { matchesAny } from '../playbook/glob.js';
import type { Action } from '../types.js';

const params = z.object({
  window: z.string().regex(DURATION_RE, { message: 'a duration such as "10m"' }),
  metrics: z.array(z.string().min(1).max(200)).default([]),
}).strict();
type Params = z.output<typeof params>;

export const waitAndVerify: Action<Params> = {
  name: 'wait-and-verify',
  effect: 'read',
  params,
  timeoutMs: (p) => (parseDuration(p.window) ?? 0) + 60_000,
  plan: (p) => [`watch ${p.metrics.length ? `metrics ${p.metrics.join(', ')}` : 'the incident\'s series'} for ${p.window}; recovered if no new anomaly`],
  async run(p, ctx) {
    const since = ctx.now();
    await ctx.sleep(parseDuration(p.window) ?? 0, ctx.signal);
    const services = ctx.incident.services ?? [ctx.incident.service];
    const seen = await ctx.store.listAnomalies({ services, since });
    const keys = new Set(ctx.incident.seriesKeys);
    const relevant = seen.filter((a) => (p.metrics.length ? matchesAny(a.metric, p.metrics) : keys.has(a.seriesKey)));
    if (relevant.length === 0) return { ok: true, summary: `recovered: no new anomaly in ${p.window}`, data: { recovered: true } };
    const last = relevant[relevant.length - 1]!;
    return { ok: false, summary: `not recovered: ${relevant.length} new anomalies in ${p.window} (last on ${last.metric}, score ${last.score.toFixed(2)})`, data: { recovered: false, anomalies: relevant.length } };
  },
};
