/**
 * Which playbooks fit an incident. Triggers decide, actions act: matching
 * reads only the incident (service, headline metric and kind, severity,
 * suspect) and the labels the caller supplies. Pure.
 */
import type { Incident, Severity } from '../domain/index.js';
import { matchesAny } from './playbook/glob.js';
import type { Playbook } from './playbook/schema.js';
import type { PlaybookMatch } from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function matchPlaybook(p: Playbook, incident: Incident, labels: Readonly<Record<string, string>> = {}): PlaybookMatch | null {
  const m = p.match;
  const reasons: string[] = [];
  const services = incident.services ?? [incident.service];
  if (!services.some((s) => matchesAny(s, m.services))) return null;
  if (!m.services.includes('*')) reasons.push(`service ${incident.service}`);
  for (const [key, glob] of Object.entries(m.labels)) {
    const value = labels[key];
    if (value === undefined || !matchesAny(value, [glob])) return null;
    reasons.push(`${key}=${value}`);
  }
  if (m.metrics.length) {
    if (!matchesAny(incident.headline.metric, m.metrics)) return null;
    reasons.push(`metric ${incident.headline.metric}`);
  }
  if (m.kinds.length) {
    if (!m.kinds.includes(incident.headline.kind)) return null;
    reasons.push(`${incident.headline.kind.replace('_', ' ')}`);
  }
  if (SEVERITY_RANK[incident.severity] < SEVERITY_RANK[m.minSeverity]) return null;
  if (m.minSeverity !== 'low') reasons.push(`severity ${incident.severity}`);
  if (m.deploySuspected !== undefined) {
    if ((incident.suspect !== null) !== m.deploySuspected) return null;
    reasons.push(m.deploySuspected ? `deploy ${incident.suspect?.deploymentId} suspected` : 'no deploy suspected');
  }
  return { playbook: p.name, title: p.title, score: reasons.length, reasons, approval: p.policy.approval };
}

/** Matching playbooks, most specific first (then by name, for a stable order). */
export function recommend(playbooks: readonly Playbook[], incident: Incident, labels?: Readonly<Record<string, string>>): PlaybookMatch[] {
  return playbooks
    .map((p) => matchPlaybook(p, incident, labels))
    .filter((m): m is PlaybookMatch => m !== null)
    .sort((a, b) => b.score - a.score || a.playbook.localeCompare(b.playbook));
}
