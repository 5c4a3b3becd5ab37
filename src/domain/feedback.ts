/**
 * The size "not an anomaly" feedback records and compares: the incident
 * operation stores the headline's deviation (incidents/operations.ts), the
 * score stage drops anomalies no larger (incidents/feedback.ts). Pure.
 */
import type { Anomaly } from './anomaly.js';
import type { Headline } from './incident.js';

/** |observed - expected| in band half-widths: a scale-free size of the deviation. */
export function deviationOf(a: Pick<Anomaly | Headline, 'observed' | 'expected' | 'band'>): number {
  const half = Math.abs(a.band[1] - a.band[0]) / 2;
  const scale = half > 0 ? half : Math.max(Math.abs(a.expected) * 1e-3, 1e-9);
  return Math.abs(a.observed - a.expected) / scale;
}
