/**
 * "Not an anomaly" feedback lowers a series' sensitivity to that pattern:
 * an anomaly is dropped when active feedback on its series has the same
 * kind and a deviation at least as large as the anomaly's. Pure.
 */
import type { Anomaly, Headline } from '../domain/index.js';
import type { AnomalyFeedback } from '../store/types.js';

/** |observed - expected| in band half-widths: a scale-free size of the deviation. */
export function deviationOf(a: Pick<Anomaly | Headline, 'observed' | 'expected' | 'band'>): number {
  const half = Math.abs(a.band[1] - a.band[0]) / 2;
  const scale = half > 0 ? half : Math.max(Math.abs(a.expected) * 1e-3, 1e-9);
  return Math.abs(a.observed - a.expected) / scale;
}

export function filterByFeedback(anomalies: readonly Anomaly[], feedback: readonly AnomalyFeedback[]): { kept: Anomaly[]; dropped: Anomaly[] } {
  const kept: Anomaly[] = [];
  const dropped: Anomaly[] = [];
  for (const a of anomalies) {
    const d = deviationOf(a);
    const muted = feedback.some((f) => f.revokedAt === null && f.seriesKey === a.seriesKey && f.kind === a.kind && d <= f.deviation);
    (muted ? dropped : kept).push(a);
  }
  return { kept, dropped };
}
