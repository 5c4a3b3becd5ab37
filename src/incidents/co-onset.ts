/**
 * Grouping without a declared graph: a service whose confirmed anomalies
 * start within `coOnsetWithin` of another open incident's onset, and whose
 * series moved with that incident's series over the same minutes, joins
 * that incident instead of opening its own. One backend degradation felt by
 * its callers, or one deploy's regression passed on to the services that
 * call it, is then one incident that lists every service that felt it.
 *
 * "Moved with" is measured, not assumed: the correlation between the joining
 * series and one of the incident's series, over the points from CO_LEAD
 * samples before the earlier onset up to now, must be strong (|r| >= 0.5)
 * and significant (two-sided p < 0.01). Two unrelated services that happen to start
 * deviating in the same minutes rarely also move together over that window.
 * Reads only; the lifecycle writes.
 */
import { sampleCorrelation } from 'simple-statistics';
import { metricOfKey, type Anomaly, type Incident, type Point } from '../domain/index.js';
import { isInheritedSymptom } from '../domain/direction.js';
import { newIncident } from './merge.js';
import type { IncidentBatch, IncidentContext } from './types.js';

/** Points before the earlier onset that the correlation also covers (the quiet baseline the change stands out from). */
const CO_LEAD = 30;
/**
 * |Fisher z| the correlation must reach: two-sided p < 0.01. Only
 * services that already started within the co-onset window are tested, and
 * a service is tested when it confirms, a few samples after onset: a
 * stricter level would rarely pass that early.
 */
const CO_Z = 2.576;
/** ...and the correlation must be at least this strong: the shared movement explains a quarter of each series' variance over the window. */
const CO_R = 0.5;
/** How far before the earlier onset points are read to find CO_LEAD of them (gaps, slow series). */
const READ_BACK = 6 * 3_600_000;
/** Series of the host incident compared, at most (its earliest first). */
const MAX_HOST_SERIES = 4;
/** Incidents that started near an onset read at once when looking for a host. */
const OPEN_LIMIT = 200;

export interface CoOnset {
  readonly host: Incident;
  /** Why, for the timeline: which series moved together, and how strongly. */
  readonly reason: string;
}

/** Services of a batch: its key's members. */
const batchServices = (batch: IncidentBatch): readonly string[] => batch.services ?? [batch.service];

/**
 * The incident of another key that `start` (the first anomaly of a group
 * about to open for `batch`, confirmed at data time `at`) started together
 * with, or null. The host must have been open at `at`, in data time: an
 * incident that resolved later in data time counts even when the store
 * already holds it resolved. A batch spans up to an hour of data (replay,
 * backfill, late data), and another key's batch over the same minutes may
 * have run first and taken its incident through to its end; a live pull a
 * minute long would have found it open. The lifecycle re-opens such a
 * host when the group joins it, and resolves it again once every series,
 * the joined ones too, is quiet.
 */
export async function coOnsetHost(
  batch: IncidentBatch,
  start: Anomaly,
  at: number,
  ctx: IncidentContext,
): Promise<CoOnset | null> {
  const within = ctx.policy.coOnsetWithin ?? 0;
  if (within <= 0) return null;
  const mine = new Set(batchServices(batch));
  const candidate = (i: Incident) =>
    i.service !== batch.service &&
    i.id !== batch.supersedes?.id &&
    !(i.services ?? [i.service]).some((s) => mine.has(s)) &&
    Math.abs(i.openedAt - start.t) <= within;
  const near = await ctx.store.listIncidents({
    opened: { from: start.t - within, to: start.t + within },
    limit: OPEN_LIMIT,
  });
  const open: Incident[] = [];
  for (const i of near) {
    if (!candidate(i)) continue;
    if (i.status === 'open') open.push(i);
    else if (i.resolvedAt !== null && i.resolvedAt >= at && (await reopenable(i, ctx))) open.push(i);
  }
  if (open.length === 0) return null;
  // A change its own deploy explains is its own incident, unless the other one may be this change felt by a
  // caller (feltByCaller). Two deploys at once are two changes.
  const own =
    ctx.ownCause &&
    (await ctx.ownCause({ ...newIncident(batch.service, start), services: [...mine].sort() }, batch.now));
  const hosts = own ? open.filter(feltByCaller) : open;
  // Nearest onset first: with two candidates, the one that started with this group.
  hosts.sort((a, b) => Math.abs(a.openedAt - start.t) - Math.abs(b.openedAt - start.t));
  for (const host of hosts) {
    const moved = await movedTogether(host, start, batch.now, ctx);
    if (moved) return { host, reason: moved };
  }
  return null;
}

/**
 * Whether `host` (open within the co-onset window) may be a change with a
 * deploy of its own felt by a caller: it names no suspect of its own and
 * holds only symptoms a caller inherits from what it calls (latency,
 * errors). An incident whose own cpu, memory, queue or demand rose has a
 * cause of its own (a leak, load) even when attribution could not name it.
 * Which of the two was detected first says little: a caller with a lower
 * error baseline can page minutes before the service that fails.
 */
function feltByCaller(host: Incident): boolean {
  return !host.suspect && host.seriesKeys.every((key) => isInheritedSymptom(metricOfKey(key)));
}

/**
 * A resolved incident can be re-opened only while it is its service's
 * latest (no newer incident of that service, open or superseding it).
 */
async function reopenable(incident: Incident, ctx: IncidentContext): Promise<boolean> {
  const [latest] = await ctx.store.listIncidents({ service: incident.service, limit: 1 });
  return latest?.id === incident.id;
}

/** The first of the host's series that moved with `start`'s series, described, or null. */
async function movedTogether(
  host: Incident,
  start: Anomaly,
  now: number,
  ctx: IncidentContext,
): Promise<string | null> {
  const onset = Math.min(host.openedAt, start.t);
  // Both series only as far as the host's are known: its job for these minutes may still be in flight.
  const until = Math.min(now, ctx.knownThrough?.(host.services ?? [host.service]) ?? Infinity);
  const mine = await ctx.store.listPoints(start.seriesKey, { from: onset - READ_BACK, to: until + 1 });
  const from = leadStart(mine, onset);
  const joined = mine.filter((p) => p.t >= from);
  const series = Object.entries(host.counted ?? {})
    .sort((a, b) => a[1] - b[1])
    .map(([k]) => k);
  for (const key of (series.length > 0 ? series : host.seriesKeys).slice(0, MAX_HOST_SERIES)) {
    const theirs = await ctx.store.listPoints(key, { from, to: until + 1 });
    const r = correlation(joined, theirs);
    if (r && significant(r.r, r.n)) {
      const metric = key.replace(/^[^:]*:/, '');
      return `${start.service} ${start.metric} started deviating within ${minutes(Math.abs(start.t - host.openedAt))} of this incident's onset and moved with ${metric} (correlation ${r.r.toFixed(2)} over ${r.n} samples)`;
    }
  }
  return null;
}

/** Time of the point CO_LEAD samples before `onset` (or the first point). */
function leadStart(points: readonly Point[], onset: number): number {
  let i = points.findIndex((p) => p.t >= onset);
  if (i < 0) i = points.length;
  return points[Math.max(0, i - CO_LEAD)]?.t ?? onset;
}

/**
 * Pearson correlation over the timestamps both series have, or null with
 * fewer than 8 or a flat series. Not ranks: a shared step of many noise
 * widths should dominate it, as it does what a person sees on the chart.
 */
export function correlation(a: readonly Point[], b: readonly Point[]): { r: number; n: number } | null {
  const other = new Map(b.map((p) => [p.t, p.v]));
  const x: number[] = [];
  const y: number[] = [];
  for (const p of a) {
    const v = other.get(p.t);
    if (v !== undefined && Number.isFinite(p.v) && Number.isFinite(v)) {
      x.push(p.v);
      y.push(v);
    }
  }
  if (x.length < 8) return null;
  const r = sampleCorrelation(x, y);
  // A flat series has no correlation (simple-statistics gives NaN for it).
  return Number.isFinite(r) ? { r, n: x.length } : null;
}

/** |r| at least CO_R and significant (Fisher z, normal approximation). */
function significant(r: number, n: number): boolean {
  return n >= 8 && Math.abs(r) >= CO_R && Math.atanh(Math.min(Math.abs(r), 0.999999)) * Math.sqrt(n - 3) >= CO_Z;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

/**
 * The batch's own open incident, or else the open incident of another key
 * that its services joined (their anomalies started with it; the newest
 * such), or null. A batch that superseded the joined one (a new change of
 * its own) no longer belongs to it. One indexed read (the lifecycle asks up
 * to three times a batch): with grouping on, the open incidents of the
 * service or listing one of its services, not every open incident.
 */
export async function openIncidentFor(
  batch: IncidentBatch,
  ctx: Pick<IncidentContext, 'store' | 'policy'>,
): Promise<Incident | null> {
  if ((ctx.policy.coOnsetWithin ?? 0) <= 0)
    return (await ctx.store.listIncidents({ service: batch.service, status: 'open', limit: 1 }))[0] ?? null;
  const mine = batchServices(batch);
  const open = await ctx.store.listIncidents({ status: 'open', members: [...new Set([batch.service, ...mine])] });
  const own = open.find((i) => i.service === batch.service);
  if (own) return own;
  // Joined means listed in `services`: an incident listing none is its own service's only.
  return open.find((i) => i.id !== batch.supersedes?.id && (i.services ?? []).some((s) => mine.includes(s))) ?? null;
}
