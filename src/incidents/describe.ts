/** One-line human descriptions shared by timelines and notifiers. Pure. */
import type { Anomaly, Headline } from '../domain/index.js';

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e6 || (abs > 0 && abs < 1e-3)) return v.toExponential(2);
  return abs >= 100 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
}

export function describeDeviation(h: Headline | Anomaly): string {
  const observed = 'observed' in h ? h.observed : 0;
  const pct = h.expected !== 0 ? ` (${observed >= h.expected ? '+' : ''}${(((observed - h.expected) / Math.abs(h.expected)) * 100).toFixed(0)}%)` : '';
  return `${h.metric} ${h.kind.replace('_', ' ')}: ${formatValue(observed)} vs expected ${formatValue(h.expected)}${pct}, band ${formatValue(h.band[0])}..${formatValue(h.band[1])}`;
}
