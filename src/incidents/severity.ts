/**
 * Severity from breadth (how many series and linked services), magnitude (score and relative
 * deviation of the headline) and duration. Pure; documented in docs/incidents.md.
 */
import type { Incident, Severity } from '../domain/index.js';

export function severityOf(
  i: Pick<Incident, 'seriesKeys' | 'headline' | 'openedAt' | 'lastAnomalyAt' | 'services'>,
): Severity {
  const { observed, expected, score } = i.headline;
  const relative = Math.abs(observed - expected) / Math.max(Math.abs(expected), 1e-9);
  let points = 0;
  if (i.seriesKeys.length >= 2) points += 1;
  if (i.seriesKeys.length >= 3) points += 1;
  if ((i.services?.length ?? 1) >= 2) points += 1;
  if (score >= 0.99) points += 1;
  if (relative >= 1) points += 1;
  if (i.lastAnomalyAt - i.openedAt >= 30 * 60_000) points += 1;
  return points >= 4 ? 'critical' : points >= 2 ? 'high' : points === 1 ? 'medium' : 'low';
}

const ORDER: Severity[] = ['low', 'medium', 'high', 'critical'];
export const severityRank = (s: Severity): number => ORDER.indexOf(s);
