/**
 * Attribution for one incident: loads the candidate deploys and the recent
 * points of its series, ranks suspects (rank.ts), and returns the incident
 * with its suspects when they changed. Reads only; the caller stores the
 * result. Candidate deploys: of an affected service or one they depend on,
 * started within `lookback` before onset (to a little after it), and for an
 * incident opened for a new change, not before that change. Other
 * services enter only where the store holds anomalies of theirs within a few
 * samples of onset: their series are the evidence of a shared cause.
 * It also measures the growth of the incident's accumulating series (a
 * leak's slope and time to its limit, growth.ts) from the same points.
 */
import type { Deployment, DeployVerdict, Incident, Suspect } from '../../domain/index.js';
import { previousDays } from './daily.js';
import type { AnomalyStore, DeploymentStore, PointStore, SeriesRegistry, VerdictStore } from '../../store/types.js';
import type { ServiceLinks } from '../links.js';
import { isDemandMetric } from '../../domain/direction.js';
import { describeGrowth } from '../../incidents/describe.js';
import { growthOf } from './growth.js';
import { rankSuspects, type IncidentSeries, type NeighbourSeries } from './rank.js';

export interface AttributeDeps {
  readonly store: DeploymentStore & PointStore & SeriesRegistry & AnomalyStore & Pick<VerdictStore, 'getVerdict'>;
  readonly links: ServiceLinks;
  /** How long before onset a deploy may have started to be a suspect (ms). */
  readonly lookback: number;
  /** Length of an operational minute (ms); shorter only in time-compressed simulations. */
  readonly minuteMs?: number;
}

const MAX_SERIES = 24;
/** Minutes before onset a leak's growth is measured from: it began before the detector fired. */
const GROWTH_LEAD = 30;
/** Other services' series loaded for the shared-cause check, at most. */
const MAX_NEIGHBOUR_SERIES = 16;
/** How near onset (in samples) another service's anomaly must start to count as the same moment. */
const NEIGHBOUR_STEPS = 5;

/** Services whose deploys may explain an incident on `services`: they and what they depend on. */
export function relatedServices(services: readonly string[], links: ServiceLinks): string[] {
  return [...new Set([...services, ...services.flatMap((s) => links.dependsOn(s))])];
}

/** The incident with fresh suspects, or null when attribution did not change. */
export async function attributeIncident(
  incident: Incident,
  now: number,
  deps: AttributeDeps,
  candidate: (d: Deployment) => boolean = () => true,
): Promise<Incident | null> {
  const services = incident.services ?? [incident.service];
  const onset = incident.openedAt;
  const since = incident.suspectsSince ?? -Infinity;
  const deployments: Deployment[] = [];
  for (const service of relatedServices(services, deps.links)) {
    deployments.push(
      ...(
        await deps.store.listDeployments({
          service,
          since: onset - deps.lookback,
          until: Math.max(onset, incident.detectedAt ?? onset) + 10 * (deps.minuteMs ?? 60_000),
        })
      ).filter((d) => d.startedAt >= since && candidate(d)),
    );
  }
  const series = await loadSeries(incident, services, deployments, now, deps);
  const stepMs = medianStep(series);
  const origin = originOf(incident, NEIGHBOUR_STEPS * stepMs);
  // A shared cause only competes with candidate deploys: with none, other services are not read.
  // Every other service that deviated at onset is evidence, the incident's own members too: a member
  // with no deploy of its own that started with the others (a backend all of them call) competes with a
  // deploy of another member just as it did before it joined.
  const deployed = new Set(deployments.map((d) => d.service));
  const neighbours = deployments.length > 0 ? await loadNeighbours(origin.onset, deployed, now, stepMs, deps) : [];
  // Each candidate's verdict, once decided by data time `now`: the same before/after test of the same windows.
  const verdicts = new Map<string, DeployVerdict>();
  for (const d of deployments) {
    const v = await deps.store.getVerdict(d.id);
    if (v && v.decidedAt <= now) verdicts.set(d.id, v);
  }
  const result = rankSuspects({
    services: origin.services,
    verdicts,
    onset: origin.onset,
    detectedAt: incident.detectedAt,
    deployments,
    dependsOn: deps.links.dependsOn,
    series,
    neighbours,
    stepMs,
    minuteMs: deps.minuteMs,
  });
  const growth =
    growthOf(
      series.filter((s) => s.inIncident),
      onset,
      GROWTH_LEAD * (deps.minuteMs ?? 60_000),
    ) ?? incident.growth;
  const sameGrowth = (growth && describeGrowth(growth)) === (incident.growth && describeGrowth(incident.growth));
  if (sameSuspects(incident.suspects, result.suspects) && incident.attribution === result.summary && sameGrowth)
    return null;
  return {
    ...incident,
    suspect: result.suspect,
    suspects: result.suspects,
    attribution: result.summary,
    ...(growth ? { growth } : {}),
  };
}

/** The incident's own series, plus demand metrics of its services and series of deployed services. */
async function loadSeries(
  incident: Incident,
  services: readonly string[],
  deployments: readonly Deployment[],
  now: number,
  deps: AttributeDeps,
): Promise<IncidentSeries[]> {
  const from =
    Math.min(incident.openedAt - deps.lookback, ...deployments.map((d) => d.startedAt)) -
    60 * (deps.minuteMs ?? 60_000);
  const keys = new Set(incident.seriesKeys);
  const refs = [];
  for (const service of new Set([...services, ...deployments.map((d) => d.service)])) {
    for (const ref of await deps.store.listSeries({ service })) {
      if (keys.has(ref.key) || isDemandMetric(ref.metric)) refs.push(ref);
    }
  }
  const out: IncidentSeries[] = [];
  for (const ref of refs.slice(0, MAX_SERIES)) {
    const inIncident = keys.has(ref.key);
    const judged = inIncident && deployments.length > 0 && !isDemandMetric(ref.metric);
    out.push({
      seriesKey: ref.key,
      service: ref.service,
      metric: ref.metric,
      inIncident,
      points: await deps.store.listPoints(ref.key, { from, to: now + 1 }),
      // The same hours of previous days, for the verdict's test against them (effect.ts).
      ...(judged ? { history: await previousDays(deps.store, ref.key, from, now + 1) } : {}),
    });
  }
  return out;
}

/**
 * Series of services other than `mine` (the services of candidate deploys)
 * that have anomalies within NEIGHBOUR_STEPS samples of onset, with their
 * services' demand series, and whether each of those services had a deploy
 * of its own near onset.
 */
async function loadNeighbours(
  onset: number,
  mine: ReadonlySet<string>,
  now: number,
  stepMs: number,
  deps: AttributeDeps,
): Promise<NeighbourSeries[]> {
  const span = NEIGHBOUR_STEPS * stepMs;
  const near = (
    await deps.store.listAnomalies({ since: onset - span, until: Math.min(now, onset + span) + 1, limit: 1000 })
  ).filter((a) => !mine.has(a.service));
  const keys = new Set(near.map((a) => a.seriesKey));
  const MIN = deps.minuteMs ?? 60_000;
  const from = onset - 12 * stepMs - 10 * MIN;
  const out: NeighbourSeries[] = [];
  for (const service of new Set(near.map((a) => a.service))) {
    const deployed =
      (
        await deps.store.listDeployments({
          service,
          since: onset - deps.lookback,
          until: onset + Math.max(2 * stepMs, 2 * MIN),
          limit: 1,
        })
      ).length > 0;
    for (const ref of await deps.store.listSeries({ service })) {
      if (out.length >= MAX_NEIGHBOUR_SERIES) return out;
      if (!keys.has(ref.key) && !isDemandMetric(ref.metric)) continue;
      out.push({
        service,
        metric: ref.metric,
        deployed,
        points: await deps.store.listPoints(ref.key, { from, to: now + 1 }),
      });
    }
  }
  return out;
}

/**
 * Where the change started: the services whose first anomaly came within
 * `sameMoment` of the incident's earliest one, and that time. A service that
 * only deviated later felt the change (a caller of the degraded service), so
 * its own deploys do not explain the incident. Incidents stored before
 * `onsets` existed: every service, from openedAt.
 */
export function originOf(incident: Incident, sameMoment: number): { services: readonly string[]; onset: number } {
  const onsets = Object.entries(incident.onsets ?? {});
  if (onsets.length === 0) return { services: incident.services ?? [incident.service], onset: incident.openedAt };
  const onset = Math.min(...onsets.map(([, t]) => t));
  return {
    services: onsets
      .filter(([, t]) => t - onset <= sameMoment)
      .map(([s]) => s)
      .sort(),
    onset,
  };
}

function medianStep(series: readonly IncidentSeries[]): number {
  const gaps: number[] = [];
  for (const s of series)
    for (let i = 1; i < Math.min(s.points.length, 50); i++) gaps.push(s.points[i]!.t - s.points[i - 1]!.t);
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1] ?? 60_000;
}

function sameSuspects(a: readonly Suspect[] | undefined, b: readonly Suspect[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every(
    (s, i) => s.deploymentId === b[i]!.deploymentId && s.confidence === b[i]!.confidence && s.reason === b[i]!.reason,
  );
}
