/**
 * Renders an incident event for a terminal: what, where, since when,
 * expected vs observed, suspected deploy, recommended playbook. Pure;
 * colour only when asked.
 */
import { formatDuration } from '../../domain/duration.js';
import { describeDeviation, describeSpread } from '../../incidents/index.js';
import type { NotifyEvent } from '../types.js';

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, grey: 90 } as const;
type Colour = keyof typeof COLOURS;

const iso = (t: number) =>
  new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d{3}Z$/, ' UTC');

export function renderEvent(e: NotifyEvent, colour = false): string {
  const paint = (c: Colour, s: string) => (colour ? `\x1b[${COLOURS[c]}m${s}\x1b[0m` : s);
  const i = e.incident;
  const sev = `[${i.severity}]`;
  if (e.kind === 'resolved') {
    const open = formatDuration((i.resolvedAt ?? i.lastAnomalyAt) - i.openedAt);
    return `${paint('green', '✔ RESOLVED')} ${sev} ${i.service} — ${i.headline.metric}; open ${open}, ${i.anomalyCount} anomalies (${i.id})`;
  }
  const reopened = e.timeline.some((t) => t.kind === 'reopened');
  const title =
    e.kind === 'opened' ? '● OPENED' : reopened && i.status === 'open' ? '● UPDATED (re-opened)' : '● UPDATED';
  const lines = [
    `${paint(i.severity === 'critical' || i.severity === 'high' ? 'red' : 'yellow', title)} ${sev} ${i.service} — ${i.headline.metric} ${i.headline.kind.replace('_', ' ')}`,
    `  since    ${iso(i.openedAt)}; last anomaly ${iso(i.lastAnomalyAt)}`,
    `  what     ${describeDeviation(i.headline)}`,
    `  where    ${i.seriesKeys.length} series: ${i.seriesKeys.slice(0, 4).join(', ')}${i.seriesKeys.length > 4 ? ', …' : ''}`,
  ];
  const spread = describeSpread(i);
  if (spread) lines.push(`  spread   ${spread}`);
  if (i.suspect && e.suspect) {
    const d = e.suspect;
    lines.push(
      `  suspect  deploy ${d.id}${d.version ? ` (${d.version})` : ''} at ${iso(d.startedAt)}, confidence ${(i.suspect.confidence * 100).toFixed(0)}%: ${i.suspect.reason}`,
    );
  } else {
    lines.push(`  suspect  ${paint('grey', 'no deploy suspected')}`);
  }
  if (e.playbook)
    lines.push(
      `  playbook ${e.playbook.name}: ${e.playbook.title} (recommended${e.playbook.reason ? `: ${e.playbook.reason}` : ''}; run it with /vigil run ${e.playbook.name} ${i.id})`,
    );
  lines.push(`  incident ${i.id}, ${i.anomalyCount} anomalies`);
  return lines.join('\n');
}
