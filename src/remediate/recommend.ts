/**
 * Which playbooks fit an incident, and why. Triggers decide, actions act:
 * matching reads only the incident, its facts (every anomaly of every series,
 * the suspect deploy, the service labels) and the playbooks' match rules. Pure.
 *
 * A rule either holds or excludes the playbook; each rule that holds adds
 * its weight to the score, and the best score wins (ties: by name):
 *   suspect deploy on one of `platforms`  +8  the deploy's own rollback beats anything generic
 *   `deploySuspected: true` holds         +6  a suspect deploy is the likeliest cause: undo it first
 *   `deploySuspected: false` holds        +1
 *   `metrics` match the headline series   +4  (another series of the incident: +3)
 *   `kinds` / `direction` match           +1 each, on the same anomaly as `metrics`
 *   each `labels` rule, a named service   +2
 *   `minSeverity` above low               +1
 * A playbook with no rules (watch-for-recovery) scores 0: it is the fallback.
 * The reason names the rules that held, e.g.
 * "suspected deploy api-8 (CodeDeploy) -> deploy-regression-rollback".
 */
import type { AnomalyKind, Incident, Severity } from '../domain/index.js';
import { formatValue } from '../incidents/index.js';
import { matchesAny } from './playbook/glob.js';
import type { Playbook } from './playbook/schema.js';
import { deployPlatform, PLATFORM_NAMES } from './platform.js';
import type { IncidentFacts, PlaybookMatch } from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export const WEIGHTS = {
  platform: 8,
  deploy: 6,
  noDeploy: 1,
  headlineMetric: 4,
  otherMetric: 3,
  kind: 1,
  direction: 1,
  label: 2,
  service: 2,
  severity: 1,
} as const;

/** One moving series of the incident: the headline or any of its anomalies. */
interface Signal {
  readonly seriesKey: string;
  readonly metric: string;
  readonly kind: AnomalyKind;
  readonly observed: number;
  readonly expected: number;
}

function signalsOf(incident: Incident, facts: IncidentFacts): Signal[] {
  const others = [...(facts.anomalies ?? [])].filter(
    (a) => a.seriesKey !== incident.headline.seriesKey || a.kind !== incident.headline.kind,
  );
  return [incident.headline, ...others];
}

/** The first signal (headline first) that the metric, kind and direction rules all accept; null when none does. */
function whatMatches(
  m: Playbook['match'],
  incident: Incident,
  signals: readonly Signal[],
): { score: number; reason: string } | null {
  if (m.metrics.length === 0 && m.kinds.length === 0 && m.direction === 'any') return { score: 0, reason: '' };
  const hit = signals.find(
    (s) =>
      (m.metrics.length === 0 || matchesAny(s.metric, m.metrics)) &&
      (m.kinds.length === 0 || m.kinds.includes(s.kind)) &&
      (m.direction === 'any' || (m.direction === 'up' ? s.observed > s.expected : s.observed < s.expected)),
  );
  if (!hit) return null;
  const headline = hit.seriesKey === incident.headline.seriesKey;
  const score =
    (m.metrics.length ? (headline ? WEIGHTS.headlineMetric : WEIGHTS.otherMetric) : 0) +
    (m.kinds.length ? WEIGHTS.kind : 0) +
    (m.direction !== 'any' ? WEIGHTS.direction : 0);
  const how = `${hit.kind.replace('_', ' ')}${m.direction !== 'any' ? ` going ${m.direction}` : ''}`;
  return {
    score,
    reason: `${hit.metric} ${how} (${formatValue(hit.observed)} vs expected ${formatValue(hit.expected)})`,
  };
}

export function matchPlaybook(p: Playbook, incident: Incident, facts: IncidentFacts = {}): PlaybookMatch | null {
  const m = p.match;
  const labels = facts.labels ?? {};
  const reasons: string[] = [];
  let score = 0;
  const services = incident.services ?? [incident.service];
  if (!services.some((s) => matchesAny(s, m.services))) return null;
  if (!m.services.includes('*')) {
    score += WEIGHTS.service;
    reasons.push(`service ${incident.service}`);
  }
  for (const [key, glob] of Object.entries(m.labels)) {
    const value = labels[key];
    if (value === undefined || !matchesAny(value, [glob])) return null;
    score += WEIGHTS.label;
    reasons.push(`${key}=${value}`);
  }
  if (m.deploySuspected !== undefined || m.platforms.length > 0) {
    const wantsDeploy = m.deploySuspected ?? true;
    if ((incident.suspect !== null) !== wantsDeploy) return null;
    if (incident.suspect) {
      const metrics = signalsOf(incident, facts).map((s) => s.metric);
      const { platform, via } = deployPlatform({ deployment: facts.deployment ?? null, labels, metrics });
      if (m.platforms.length > 0 && !m.platforms.includes(platform)) return null;
      score += (m.deploySuspected ? WEIGHTS.deploy : 0) + (m.platforms.length ? WEIGHTS.platform : 0);
      reasons.push(
        `suspected deploy ${incident.suspect.deploymentId} (${platform === 'generic' ? via : PLATFORM_NAMES[platform]})`,
      );
    } else {
      score += WEIGHTS.noDeploy;
      reasons.push('no deploy suspected');
    }
  }
  const what = whatMatches(m, incident, signalsOf(incident, facts));
  if (!what) return null;
  if (what.reason) {
    score += what.score;
    reasons.push(what.reason);
  }
  if (SEVERITY_RANK[incident.severity] < SEVERITY_RANK[m.minSeverity]) return null;
  if (m.minSeverity !== 'low') {
    score += WEIGHTS.severity;
    reasons.push(`severity ${incident.severity}`);
  }
  const reason = `${reasons.length ? reasons.join(', ') : 'nothing more specific matched'} -> ${p.name}`;
  return { playbook: p.name, title: p.title, score, reasons, reason, approval: p.policy.approval };
}

/**
 * Whether a playbook is a rollback: it applies only while a deploy is
 * suspected (`deploySuspected: true`, or `platforms`, which implies it, as
 * matchPlaybook reads them), i.e. it acts on that deploy. Every built-in one
 * undoes it (deploy-regression-rollback, deploy-rollback-webhook,
 * kubernetes-rollout-undo, lambda-deploy-rollback; a test holds ./playbooks
 * to that list); a custom playbook that needs a suspect but does something
 * else would be counted too. `vigil demo` uses it to check its posts.
 */
export function isRollback(p: Pick<Playbook, 'match'>): boolean {
  return p.match.deploySuspected ?? p.match.platforms.length > 0;
}

/** Matching playbooks, best score first (then by name, for a stable order). */
export function recommend(playbooks: readonly Playbook[], incident: Incident, facts?: IncidentFacts): PlaybookMatch[] {
  return playbooks
    .map((p) => matchPlaybook(p, incident, facts))
    .filter((m): m is PlaybookMatch => m !== null)
    .sort((a, b) => b.score - a.score || a.playbook.localeCompare(b.playbook));
}
