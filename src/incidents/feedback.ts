/**
 * "Not an anomaly" feedback lowers a series' sensitivity to that pattern:
 * an anomaly is dropped when active feedback on its series has the same
 * kind and a deviation (domain/feedback.ts) at least as large as the anomaly's. Pure.
 */
import { deviationOf, type Anomaly } from '../domain/index.js';
import type { AnomalyFeedback } from '../store/types.js';

export function filterByFeedback(
  anomalies: readonly Anomaly[],
  feedback: readonly AnomalyFeedback[],
): { kept: Anomaly[]; dropped: Anomaly[] } {
  const kept: Anomaly[] = [];
  const dropped: Anomaly[] = [];
  for (const a of anomalies) {
    const d = deviationOf(a);
    const muted = feedback.some(
      (f) => f.revokedAt === null && f.seriesKey === a.seriesKey && f.kind === a.kind && d <= f.deviation,
    );
    (muted ? dropped : kept).push(a);
  }
  return { kept, dropped };
}
