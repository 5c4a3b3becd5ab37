/** One-line human descriptions shared by timelines and notifiers. Pure. */
import type { Anomaly, Headline } from '../domain/index.js';

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e6 || (abs > 0 && abs < 1e-4)) return v.toExponential(2);
  // Three significant digits, so small rates (0.0021 vs 0.0017) stay distinguishable.
  return abs >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}

export function describeDeviation(h: Headline | Anomaly): string {
  const observed = 'observed' in h ? h.observed : 0;
  const pct = h.expected !== 0 ? ` (${observed >= h.expected ? '+' : ''}${(((observed - h.expected) / Math.abs(h.expected)) * 100).toFixed(0)}%)` : '';
  return `${h.metric} ${h.kind.replace('_', ' ')}: ${formatValue(observed)} vs expected ${formatValue(h.expected)}${pct}, band ${formatValue(h.band[0])}..${formatValue(h.band[1])}`;
}
