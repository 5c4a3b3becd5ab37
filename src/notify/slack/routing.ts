/** Picks the channel of an incident from the configured routes. Pure. */
import type { Severity } from '../../domain/index.js';
import { severityRank } from '../../incidents/index.js';
import type { SlackRoute } from './types.js';

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export type Router = (service: string, severity: Severity) => string;

/** First route whose glob matches the service and whose minSeverity the incident reaches; else the default channel. */
export function createRouter(routes: readonly SlackRoute[], defaultChannel: string): Router {
  const compiled = routes.map((r) => ({ ...r, re: globToRegExp(r.service) }));
  return (service, severity) => {
    const hit = compiled.find((r) => r.re.test(service) && severityRank(severity) >= severityRank(r.minSeverity));
    return hit?.channel ?? defaultChannel;
  };
}
