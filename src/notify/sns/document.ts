/**
 * The published documents, version 1: one JSON object per incident event or
 * deploy verdict. Pure. Contract for subscribers: `version` changes only when
 * a field is removed or changes meaning; new fields may appear at any time.
 * Times are ISO-8601 UTC strings; `summary` is one line for people (email
 * readers see it near the top of the pretty-printed body).
 */
import type { DeployVerdict, Deployment, TimelineEntry } from '../../domain/index.js';
import { formatDuration } from '../../domain/duration.js';
import { describeDeviation } from '../../incidents/index.js';
import type { NotifyEvent } from '../types.js';
import { clip, iso, LIMITS } from './text.js';

export const DOCUMENT_VERSION = 1;

export type SnsEventType = 'incident.opened' | 'incident.updated' | 'incident.resolved' | 'deploy.verdict';

const field = (text: string): string => clip(text, LIMITS.fieldChars);
const short = (text: string): string => clip(text, LIMITS.attributeChars);
const list = (items: readonly string[], max: number): string[] =>
  items.slice(0, LIMITS.listItems).map((s) => clip(s, max));

export function timelineEntry(t: TimelineEntry): { at: string | null; kind: string; text: string } {
  return { at: iso(t.at), kind: t.kind, text: field(t.text) };
}

/** One line: "[high] checkout: latency_p99 level shift: 900 vs expected 120 (+650%), band 80..160". */
export function incidentSummary(e: NotifyEvent): string {
  const i = e.incident;
  const what = describeDeviation(i.headline);
  if (e.kind === 'resolved') {
    const open = formatDuration(Math.max(0, (i.resolvedAt ?? i.lastAnomalyAt) - i.openedAt));
    return field(
      `[${i.severity}] ${short(i.service)} resolved after ${open} and ${i.anomalyCount} anomalies; worst: ${what}`,
    );
  }
  const suspect = i.suspect
    ? `; suspect deploy ${i.suspect.deploymentId}${e.suspect?.version ? ` (${e.suspect.version})` : ''}, ${Math.round(i.suspect.confidence * 100)}%`
    : '; no deploy suspected';
  return field(`[${i.severity}] ${short(i.service)}: ${what}${suspect}`);
}

/** The incident document, without its timeline (fit.ts adds as much of it as fits). */
export function incidentDocument(e: NotifyEvent, url: string | null): Record<string, unknown> {
  const i = e.incident;
  const h = i.headline;
  const services = i.services ?? [i.service];
  const suspect = i.suspect
    ? {
        deploymentId: short(i.suspect.deploymentId),
        version: e.suspect?.version ? short(e.suspect.version) : null,
        startedAt: iso(e.suspect?.startedAt),
        url: e.suspect?.url ?? null,
        confidence: i.suspect.confidence,
        reason: field(i.suspect.reason),
      }
    : null;
  return {
    version: DOCUMENT_VERSION,
    type: `incident.${e.kind}` satisfies SnsEventType,
    summary: incidentSummary(e),
    incident: {
      id: short(i.id),
      service: short(i.service),
      services: list(services, LIMITS.attributeChars),
      servicesOmitted: Math.max(0, services.length - LIMITS.listItems),
      severity: i.severity,
      status: i.status,
      acknowledged: i.acknowledged ? { by: short(i.acknowledged.by), at: iso(i.acknowledged.at) } : null,
      openedAt: iso(i.openedAt),
      lastAnomalyAt: iso(i.lastAnomalyAt),
      resolvedAt: iso(i.resolvedAt),
      anomalyCount: i.anomalyCount,
      headline: {
        metric: short(h.metric),
        series: field(h.seriesKey),
        kind: h.kind,
        at: iso(h.t),
        observed: h.observed,
        expected: h.expected,
        band: [h.band[0], h.band[1]],
        score: h.score,
        text: field(describeDeviation(h)),
      },
      series: list(i.seriesKeys, LIMITS.fieldChars),
      seriesOmitted: Math.max(0, i.seriesKeys.length - LIMITS.listItems),
    },
    suspect,
    attribution: i.attribution !== undefined ? field(i.attribution) : null,
    playbook: e.playbook ? { name: short(e.playbook.name), title: field(e.playbook.title) } : null,
    ...(url ? { url: clip(url, LIMITS.fieldChars) } : {}),
  };
}

/** Severity a verdict carries for filter policies: a failed deploy pages like a high incident. */
export function verdictSeverity(v: DeployVerdict): 'high' | 'medium' | 'low' {
  return v.outcome === 'fail' ? 'high' : v.outcome === 'marginal' ? 'medium' : 'low';
}

export function verdictDocument(v: DeployVerdict, d: Deployment): Record<string, unknown> {
  return {
    version: DOCUMENT_VERSION,
    type: 'deploy.verdict' satisfies SnsEventType,
    summary: field(
      `deploy ${short(d.id)}${d.version ? ` (${short(d.version)})` : ''} of ${short(v.service)}: ${v.summary}`,
    ),
    verdict: {
      deploymentId: short(v.deploymentId),
      service: short(v.service),
      outcome: v.outcome,
      severity: verdictSeverity(v),
      decidedAt: iso(v.decidedAt),
      summary: field(v.summary),
      shifts: v.shifts.slice(0, LIMITS.listItems).map((s) => ({
        metric: short(s.metric),
        series: field(s.seriesKey),
        beforeMedian: s.beforeMedian,
        afterMedian: s.afterMedian,
        beforeCount: s.beforeCount,
        afterCount: s.afterCount,
        pValue: s.pValue,
        effect: s.effect,
        moved: s.moved,
        worse: s.worse,
      })),
      shiftsOmitted: Math.max(0, v.shifts.length - LIMITS.listItems),
    },
    deployment: {
      id: short(d.id),
      service: short(d.service),
      environment: short(d.environment),
      version: d.version === null ? null : short(d.version),
      startedAt: iso(d.startedAt),
      finishedAt: iso(d.finishedAt),
      status: d.status,
      actor: d.actor === null ? null : short(d.actor),
      source: short(d.source),
      url: d.url === null ? null : clip(d.url, LIMITS.fieldChars),
      strategy: d.strategy,
    },
  };
}
