/**
 * The incident lifecycle as stages of one signature, run in order for each
 * service's batch of anomalies. Effects: incident rows and timeline entries.
 * Idempotent: a retried batch finds its anomalies already counted
 * (t <= lastAnomalyAt) and its incident already opened (deterministic id).
 */
import { isImprovement, type Anomaly, type Incident } from '../domain/index.js';
import { isDemandMetric } from '../domain/direction.js';
import { describeDeviation } from './describe.js';
import { quietSince } from './evidence.js';
import { coOnsetHost, openIncidentFor } from './co-onset.js';
import { countedUntil, mergeAnomalies, newIncident } from './merge.js';
import { markResolved } from './operations.js';
import { severityRank } from './severity.js';
import type { IncidentBatch, IncidentContext, IncidentEvent, Stage } from './types.js';

/** An open incident absorbs the batch; escalations and new series are timeline events. */
export const updateOpen: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  const open = await openIncidentFor(batch, ctx);
  if (!open) return batch;
  const first = batch.anomalies.find((a) => a.t > open.lastAnomalyAt);
  if (first && first.t - open.lastAnomalyAt >= ctx.policy.resolveAfter) {
    // The service went quiet long enough to resolve before these anomalies
    // (e.g. its data arrived late or a source was down): close the old
    // incident first; the next stage opens or re-opens for the new anomalies.
    // Not quiet if its deviation went on in between (evidence.ts): then these
    // anomalies continue it. Evidence is read only as far as every series of
    // the incident is known (a joined service's may not be yet).
    const known = knownThrough(open, ctx);
    const seen =
      known < first.t - 1 ? await quietSince(open, known, ctx) : await quietSince(open, first.t - 1, ctx, first.t);
    if (seen !== null) {
      await resolve(open, seen + ctx.policy.resolveAfter, quietText(seen), ctx, emit);
      return batch;
    }
  }
  const change = await newChange(open, batch, ctx);
  // Nothing else happens meanwhile: opening would fold them in, and the service is not quiet.
  if (change === 'wait') return null;
  if (change) {
    if (open.service !== batch.service) {
      // A service that joined another's incident had a new change of its own:
      // it leaves with an incident of its own; the one it joined goes on.
      if (change.old !== open) await ctx.store.updateIncident(change.old);
    } else {
      await resolve(change.old, change.at, `superseded: ${change.reason}`, ctx, emit);
    }
    return { ...batch, supersedes: { id: open.id, since: change.at } };
  }
  const merged = mergeAnomalies(open, batch.anomalies);
  if (merged === open) return { ...batch, anomalies: [] };
  await ctx.store.updateIncident(merged);
  const newSeries = merged.seriesKeys.filter((k) => !open.seriesKeys.includes(k));
  for (const key of newSeries) {
    const a = batch.anomalies.find((x) => x.seriesKey === key)!;
    await ctx.store.appendTimeline(merged.id, {
      at: a.t,
      kind: 'anomaly',
      text: describeDeviation(a),
      data: { seriesKey: key },
    });
  }
  const escalated = severityRank(merged.severity) > severityRank(open.severity);
  if (escalated) {
    await ctx.store.appendTimeline(merged.id, {
      at: merged.lastAnomalyAt,
      kind: 'escalated',
      text: `severity ${open.severity} -> ${merged.severity}`,
    });
  }
  const retitled = merged.headline !== open.headline;
  if (retitled) {
    const was =
      open.headline.deviation === undefined
        ? ''
        : `; was ${open.headline.metric} at ${open.headline.deviation.toFixed(1)}`;
    await ctx.store.appendTimeline(merged.id, {
      at: merged.headline.t,
      kind: 'headline',
      text: `headline: ${describeDeviation(merged.headline)}, ${(merged.headline.deviation ?? 0).toFixed(1)} band half-widths from the pre-onset baseline${was}`,
      data: { seriesKey: merged.headline.seriesKey },
    });
  }
  if (escalated || retitled || newSeries.length > 0) emit({ kind: 'updated', incident: merged });
  return { ...batch, anomalies: [] };
};

/**
 * A new change while an incident is open: anomalies after its last one,
 * not mere recovery, that `ctx.newCause` blames on a deploy that started
 * after the incident was confirmed. A deploy that makes things worse again
 * is a new incident (a new page, its own suspect), not a silent addition to
 * the old one. Such anomalies wait ('wait': not merged, not opened) until
 * they confirm as an opening incident would; then the result gives the old
 * incident with the anomalies from before the change, when it ends (the
 * change's start) and why. Null: they are more of the open incident.
 */
async function newChange(
  open: Incident,
  batch: IncidentBatch,
  ctx: IncidentContext,
): Promise<{ old: Incident; at: number; reason: string } | 'wait' | null> {
  if (!ctx.newCause) return null;
  const { policy, store } = ctx;
  const all = await store.listAnomalies({
    services: batch.services ?? [batch.service],
    since: open.lastAnomalyAt + 1,
    until: batch.now + 1,
  });
  const fresh = all.filter((a) => !isImprovement(a));
  if (fresh.length === 0) return null;
  const found = await ctx.newCause(open, fresh, batch.now);
  if (found === null) return null;
  const after = fresh.filter((a) => a.t >= found.since);
  const persistent = await persisting(after, batch.now, ctx);
  const confirmed = confirmingStart(after, policy.confirmCount, policy.confirmWithin, policy.openAtScore, (a) =>
    persistent.get(a),
  );
  if (!confirmed) return 'wait';
  const old = mergeAnomalies(
    open,
    all.filter((a) => a.t < found.since),
  );
  const reason = `the service deviated again after a new change, which is a new incident (${found.reason})`;
  return { old, at: Math.max(found.since, old.lastAnomalyAt), reason };
}

/**
 * A new change among anomalies that would re-open `resolved` (a flap): what
 * `ctx.newCause` finds for them as if it were still open (a deploy after
 * its confirmation, blamed for them and stepped at its start), or null.
 */
async function changeSince(
  resolved: Incident,
  anomalies: readonly Anomaly[],
  now: number,
  ctx: IncidentContext,
): Promise<{ since: number; reason: string } | null> {
  if (!ctx.newCause) return null;
  const fresh = anomalies.filter((a) => !isImprovement(a));
  if (fresh.length === 0) return null;
  return ctx.newCause({ ...resolved, status: 'open', resolvedAt: null }, fresh, now);
}

/**
 * With no open incident, anomalies open one once confirmed: `confirmCount`
 * within `confirmWithin` (counting earlier batches) of which one persists,
 * or one strong enough that persists.
 * A service that resolved within `flapWindow` re-opens its last incident.
 * Anomalies that only show a metric improving (unless `openOnImprovement`)
 * or a change of demand (unless `openOnDemand`) do not count towards
 * opening; they still join the incident they follow.
 */
export const confirmAndOpen: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  const { policy, store } = ctx;
  // updateOpen has dealt with an open incident; the last resolved one (say, one it superseded) must not re-open beside it.
  if (await openIncidentFor(batch, ctx)) return batch;
  // Also re-examines recent unconfirmed anomalies: a strong one waits for the
  // points after it to show that it persists.
  const since = Math.min(batch.anomalies[0]?.t ?? batch.now, batch.from ?? batch.now) - policy.confirmWithin;
  const resolved = (await store.listIncidents({ service: batch.service, status: 'resolved', limit: 1 }))[0];
  // Anomalies already counted by the last incident never confirm a new one
  // (per series: another series' anomaly at the same time still counts).
  const recent = (
    await store.listAnomalies({ services: batch.services ?? [batch.service], since, until: batch.now + 1 })
  ).filter((a) => !resolved || a.t > countedUntil(resolved, a.seriesKey));
  // Recovery (a bad-when-high metric falling) never opens an incident by itself,
  // and neither does demand (request rate): load from outside, not a fault.
  const opening = recent.filter(
    (a) => (policy.openOnImprovement || !isImprovement(a)) && (policy.openOnDemand || !isDemandMetric(a.metric)),
  );
  if (opening.length === 0) return batch;
  const persistent = await persisting(opening, batch.now, ctx);
  const confirmed = confirmingStart(opening, policy.confirmCount, policy.confirmWithin, policy.openAtScore, (a) =>
    persistent.get(a),
  );
  if (!confirmed) return batch;
  const { start, at: detectedAt } = confirmed;

  const later = recent.filter((a) => a.t > start.t || (a.t === start.t && a.seriesKey !== start.seriesKey));
  const flapped =
    resolved &&
    resolved.id !== batch.supersedes?.id &&
    resolved.resolvedAt !== null &&
    start.t - resolved.resolvedAt <= policy.flapWindow;
  // A flap is the same trouble back; a deploy made since that the anomalies are blamed on is a new change,
  // which opens an incident of its own with that deploy's suspects, as it would have superseded the open one.
  const moved = resolved && flapped ? await changeSince(resolved, [start, ...later], batch.now, ctx) : null;
  if (moved) {
    await store.appendTimeline(resolved!.id, {
      at: start.t,
      kind: 'note',
      text: `not re-opened: ${start.service} deviated again after a new change, which is a new incident (${moved.reason})`,
      data: { service: start.service, seriesKey: start.seriesKey },
    });
    return confirmAndOpen({ ...batch, supersedes: { id: resolved!.id, since: moved.since } }, ctx, emit);
  }
  if (resolved && flapped) {
    const reopened = mergeAnomalies({ ...resolved, status: 'open', resolvedAt: null }, [start, ...later]);
    await store.updateIncident(reopened);
    await store.appendTimeline(reopened.id, {
      at: start.t,
      kind: 'reopened',
      text: `re-opened: ${describeDeviation(start)}`,
    });
    emit({ kind: 'updated', incident: reopened });
    return { ...batch, anomalies: [] };
  }

  // Started with another open incident and moved with it: one cause, one incident.
  const joined = await coOnsetHost(batch, start, detectedAt, ctx);
  if (joined) {
    // A host resolved later in data time than this group confirmed was still open then (coOnsetHost).
    const host =
      joined.host.status === 'open' ? joined.host : { ...joined.host, status: 'open' as const, resolvedAt: null };
    const merged = mergeAnomalies(host, [start, ...later], start.t);
    await store.updateIncident(merged);
    if (host !== joined.host)
      await store.appendTimeline(merged.id, {
        at: start.t,
        kind: 'reopened',
        text: `re-opened: ${start.service} started with it, in data that arrived after it resolved`,
        data: { service: start.service, seriesKey: start.seriesKey },
      });
    await store.appendTimeline(merged.id, {
      at: start.t,
      kind: 'joined',
      text: `joined: ${joined.reason}`,
      data: { service: start.service, seriesKey: start.seriesKey },
    });
    emit({ kind: 'updated', incident: merged });
    return { ...batch, anomalies: [] };
  }

  const suspectsSince = batch.supersedes?.since;
  const { incident, created } = await store.openOrGetIncident({
    ...newIncident(batch.service, start),
    detectedAt,
    ...(suspectsSince === undefined ? {} : { suspectsSince }),
  });
  // A long batch (backfill, replay) may hold a new change after confirmation:
  // the anomalies after it are checked as updateOpen would check them.
  const opened = mergeAnomalies(incident, created ? later.filter((a) => a.t <= detectedAt) : later);
  if (opened !== incident) await store.updateIncident(opened);
  if (created)
    await store.appendTimeline(incident.id, {
      at: start.t,
      kind: 'opened',
      text: describeDeviation(start),
      data: { seriesKey: start.seriesKey },
    });
  const rest = created ? later.filter((a) => a.t > detectedAt) : [];
  const change = rest.length > 0 ? await newChange(opened, batch, ctx) : null;
  if (change === null || change === 'wait') {
    const merged = change === null ? mergeAnomalies(opened, rest) : opened;
    if (merged !== opened) await store.updateIncident(merged);
    if (created) emit({ kind: 'opened', incident: merged });
    return change === 'wait' ? null : { ...batch, anomalies: [] };
  }
  emit({ kind: 'opened', incident: change.old });
  await resolve(change.old, change.at, `superseded: ${change.reason}`, ctx, emit);
  return confirmAndOpen({ ...batch, supersedes: { id: change.old.id, since: change.at } }, ctx, emit);
};

/**
 * Finds the first anomaly that starts a confirmed group and the data time
 * the group became confirmed, or null. `recent` is ascending by t.
 * `persists` gives the time an anomaly's deviation was seen to persist, or
 * undefined (default: every one, at once). A group confirms by one anomaly
 * at least `openAtScore` strong that persists, or by `count` anomalies
 * within `within` once one of them persists: one-sample blips on several
 * metrics at about the same time are still blips.
 */
export function confirmingStart(
  recent: readonly Anomaly[],
  count: number,
  within: number,
  openAtScore: number,
  persists: (a: Anomaly) => number | undefined = (a) => a.t,
): { start: Anomaly; at: number } | null {
  let lo = 0;
  let best: { start: Anomaly; at: number } | null = null;
  for (let hi = 0; hi < recent.length; hi++) {
    const a = recent[hi]!;
    while (a.t - recent[lo]!.t > within) lo++;
    const seen = a.score >= openAtScore ? persists(a) : undefined;
    let counted = Infinity;
    if (hi - lo + 1 >= count) {
      for (let j = lo; j <= hi; j++) counted = Math.min(counted, persists(recent[j]!) ?? Infinity);
      counted = Math.max(counted, a.t);
    }
    const at = Math.min(seen ?? Infinity, counted);
    if (at < Infinity && (!best || at < best.at)) best = { start: recent[lo]!, at };
    if (best && a.t >= best.at) break;
  }
  return best;
}

/**
 * Anomalies whose deviation persists, with the time of the point that
 * showed it: of the `persistFor` points after one, at least half are still
 * at least halfway from the expected value to the edge of its band, on the
 * same side (like a Prometheus rule's `for:`; a one-sample blip does not
 * page). Only points up to the batch's `now` count. An anomaly is
 * confirmed as soon as enough of the points so far deviate: the points
 * still to come cannot undo that, so waiting for all `persistFor` of them
 * only delayed the page by a sample (one minute of live one-minute data).
 * `persistFor` 0 confirms every one at once.
 */
async function persisting(
  anomalies: readonly Anomaly[],
  now: number,
  { policy, store }: IncidentContext,
): Promise<Map<Anomaly, number>> {
  const out = new Map<Anomaly, number>();
  const k = policy.persistFor;
  for (const a of anomalies) {
    if (k === 0) {
      out.set(a, a.t);
      continue;
    }
    const next = (
      await store.listPoints(a.seriesKey, { from: a.t + 1, to: Math.min(a.t + policy.confirmWithin, now) + 1 })
    ).slice(0, k);
    const up = a.observed >= a.expected;
    const edge = Math.max(up ? a.band[1] - a.expected : a.expected - a.band[0], 1e-12);
    // A deviation persists only if there is one: an anomaly at its own expected value (a level or novelty
    // test fired while the forecast had already followed the series) has nothing to persist.
    if ((up ? a.observed - a.expected : a.expected - a.observed) < 0.5 * edge) continue;
    let still = 0;
    for (const p of next) {
      if ((up ? p.v - a.expected : a.expected - p.v) >= 0.5 * edge) still++;
      if (still * 2 >= k) {
        out.set(a, p.t);
        break;
      }
    }
  }
  return out;
}

/**
 * An open incident with no anomaly for `resolveAfter` (data time) resolves,
 * unless its series still deviate (evidence.ts): a persisting shift the
 * detector no longer flags is not over. It resolves as of the end of its
 * first such quiet period, judged only on data known for all its series.
 */
export const resolveQuiet: Stage<IncidentBatch> = async (batch, ctx, emit) => {
  const open = await openIncidentFor(batch, ctx);
  if (!open) return batch;
  // Data not known yet for one of its series (another job's, still in flight) is no sign of quiet.
  const until = Math.min(batch.now, knownThrough(open, ctx));
  if (until - open.lastAnomalyAt < ctx.policy.resolveAfter) return batch;
  const seen = await quietSince(open, until, ctx);
  if (seen === null) return batch;
  // Resolved when the quiet period was complete, not when this batch happened to end:
  // a batch may span an hour of data (backfill, replay, time-compressed demos).
  await resolve(open, seen + ctx.policy.resolveAfter, quietText(seen), ctx, emit);
  return batch;
};

const quietText = (seen: number) => `no anomaly or deviation since ${new Date(seen).toISOString()}`;

/** The data time up to which every series of `incident`'s services is known (IncidentContext.knownThrough). */
const knownThrough = (incident: Incident, ctx: IncidentContext): number =>
  ctx.knownThrough?.(incident.services ?? [incident.service]) ?? Infinity;

/** Resolves `open` as of `at`, saying why in its timeline (quiet, or superseded by a new change). */
async function resolve(
  open: Incident,
  at: number,
  why: string,
  ctx: IncidentContext,
  emit: (e: IncidentEvent) => void,
): Promise<void> {
  emit({ kind: 'resolved', incident: await markResolved(ctx.store, open, at, why) });
}

export const DEFAULT_STAGES: readonly Stage<IncidentBatch>[] = [updateOpen, confirmAndOpen, resolveQuiet];

/**
 * Runs the stages for one batch and returns the events to notify. A stage
 * returning null stops the stages before it reaches resolution; resolution
 * is therefore the last stage and always sees the batch when nothing opened.
 *
 * A long batch (an hour of replay or backfill, late data) runs as the parts
 * `segments` cuts it into, one after the other, so that it decides what a
 * pull a minute long would have: each stage takes one step at a time (open,
 * absorb, resolve), and without the cut an incident open at the start of
 * the batch would absorb every anomaly of the hour, those after a quiet
 * spell that resolved it too.
 */
export async function advance(
  batch: IncidentBatch,
  ctx: IncidentContext,
  stages = DEFAULT_STAGES,
): Promise<IncidentEvent[]> {
  const events: IncidentEvent[] = [];
  for (const part of segments(batch, ctx.policy.resolveAfter)) {
    let item: IncidentBatch | null = part;
    for (const stage of stages) {
      if (item === null) break;
      item = await stage(item, ctx, (e) => events.push(e));
    }
  }
  return events;
}

/**
 * `batch` cut at each gap of at least `quiet` (the policy's `resolveAfter`)
 * between consecutive anomalies: an incident can resolve only in such a gap,
 * and a new one open only after it. Each part ends (`now`) just before the
 * next part's first anomaly, the last at the batch's `now`; a part after the
 * first starts (`from`) at its first anomaly. One part when there is no gap.
 */
export function segments(batch: IncidentBatch, quiet: number): IncidentBatch[] {
  const sorted = [...batch.anomalies].sort((a, b) => a.t - b.t);
  const parts: IncidentBatch[] = [];
  let first = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i]!.t - sorted[i - 1]!.t < quiet) continue;
    const last = i === sorted.length;
    parts.push({
      ...batch,
      anomalies: sorted.slice(first, i),
      ...(first === 0 ? {} : { from: sorted[first]!.t }),
      now: last ? batch.now : sorted[i]!.t - 1,
    });
    first = i;
  }
  return parts.length > 0 ? parts : [batch];
}
