/** One-line human descriptions shared by timelines and notifiers. Pure. */
import type { Anomaly, Growth, Headline, Incident } from '../domain/index.js';

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e6 || (abs > 0 && abs < 1e-4)) return v.toExponential(2);
  // Three significant digits, so small rates (0.0021 vs 0.0017) stay distinguishable.
  return abs >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}

export function describeDeviation(h: Headline | Anomaly): string {
  const observed = 'observed' in h ? h.observed : 0;
  const pct =
    h.expected !== 0
      ? ` (${observed >= h.expected ? '+' : ''}${(((observed - h.expected) / Math.abs(h.expected)) * 100).toFixed(0)}%)`
      : '';
  return `${h.metric} ${h.kind.replace('_', ' ')}: ${formatValue(observed)} vs expected ${formatValue(h.expected)}${pct}, band ${formatValue(h.band[0])}..${formatValue(h.band[1])}`;
}

/**
 * "memory_pct +0.21 a minute; 100 in about 4 h at this rate". Times to the
 * limit are rounded (10 minutes under 2 h, hours under 2 days, then days),
 * so that a post is not edited for a minute's difference.
 */
export function describeGrowth(g: Growth): string {
  const rate = `${g.metric} +${Number(g.perMinute.toPrecision(2))} a minute`;
  if (g.fullAt === null || g.limit === null) return rate;
  return `${rate}; ${formatValue(g.limit)} in about ${roughDuration(g.fullAt - g.at)} at this rate`;
}

function roughDuration(ms: number): string {
  const min = ms / 60_000;
  if (min < 10) return '10 min or less';
  if (min < 120) return `${Math.round(min / 10) * 10} min`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h`;
  return `${Math.round(min / 1440)} days`;
}

/**
 * Where the change started and who felt it after, from the incident's
 * per-service onsets: "started on db; then web (+1 min), orders (+3 min)".
 * Null for an incident of one service (or stored before onsets existed).
 */
export function describeSpread(i: Pick<Incident, 'onsets'>): string | null {
  const onsets = Object.entries(i.onsets ?? {}).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const first = onsets[0];
  if (!first || onsets.length < 2) return null;
  const together = onsets.filter(([, t]) => t === first[1]).map(([s]) => s);
  const later = onsets
    .filter(([, t]) => t > first[1])
    .map(([s, t]) => `${s} (+${Math.round((t - first[1]) / 60_000)} min)`);
  return `started on ${together.join(', ')}${later.length > 0 ? `; then ${later.join(', ')}` : ''}`;
}
