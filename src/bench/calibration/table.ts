/** The human table of `vigil bench calibration`. Pure. */
import type { CalibrationResult } from './run.js';
import type { Spread } from './spread.js';

const n2 = (x: number | null): string => (x === null ? '-' : x.toFixed(2));

export function spreadLine(label: string, s: Spread): string {
  return (
    `${label}: ${s.series} series, median ${n2(s.median)}, p10 ${n2(s.p10)}, p90 ${n2(s.p90)}, p90/p10 ${n2(s.p90OverP10)}, ` +
    `max/min over the ${s.nonzero} with alarms ${n2(s.maxOverMinNonzero)}, within 2x of the median ${s.withinFactor2}/${s.series}`
  );
}

export function calibrationTable(r: CalibrationResult): string {
  const rows = [['corpus', 'series', 'quiet points', 'false alarms', 'per 1,000']];
  for (const s of r.series) rows.push([s.corpus, s.id, String(s.points), String(s.alarms), n2(s.perThousand)]);
  const w = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((x) => x[c]?.length ?? 0)));
  const body = rows.map((x) =>
    x
      .map((cell, c) => (c < 2 ? cell.padEnd(w[c] ?? 0) : cell.padStart(w[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return [
    `calibration: detector ${r.detector}, threshold ${r.threshold}, false alarms per 1,000 anomaly-free points`,
    `(anomaly-free: past the warm-up of min(15%, 750) points and more than ${r.margin} points from any labelled window or segment)`,
    '',
    ...body,
    '',
    spreadLine('all', r.spread),
    ...(r.byCorpus.nab ? [spreadLine('nab', r.byCorpus.nab)] : []),
    ...(r.byCorpus.kpi ? [spreadLine('kpi', r.byCorpus.kpi)] : []),
  ].join('\n');
}
