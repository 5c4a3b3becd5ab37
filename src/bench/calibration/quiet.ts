/**
 * Which points of a labelled series count as anomaly-free for the
 * calibration benchmark. Pure.
 *
 * A point counts when it is past the warm-up (NAB's probation,
 * min(floor(0.15 n), 750) points, on every corpus alike: the detector is
 * still learning there) and more than `margin` points away from every
 * labelled range (a NAB window, a KPI segment of label-1 points): labels are
 * drawn by hand and their edges are loose, so points just outside still
 * belong to the event.
 */
import { probationLength, type RowWindow } from '../nab/rows.js';

/** Maximal runs of label-1 points as inclusive row ranges. */
export function labelledRanges(labels: ArrayLike<number>): RowWindow[] {
  const out: RowWindow[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i] || (i > 0 && labels[i - 1])) continue;
    let j = i;
    while (j + 1 < labels.length && labels[j + 1]) j++;
    out.push({ start: i, end: j });
  }
  return out;
}

/** 1 = an anomaly-free point that counts, 0 = warm-up, labelled or within `margin` of a label. */
export function quietMask(rows: number, ranges: readonly RowWindow[], margin: number): Uint8Array {
  if (!Number.isInteger(margin) || margin < 0)
    throw new RangeError(`margin must be a non-negative integer, got ${margin}`);
  const mask = new Uint8Array(rows);
  mask.fill(1, Math.min(rows, probationLength(rows)));
  for (const r of ranges) mask.fill(0, Math.max(0, r.start - margin), Math.min(rows, r.end + margin + 1));
  return mask;
}

/** Points counted and false alarms (score >= threshold) among them. */
export function countAlarms(
  scores: ArrayLike<number>,
  mask: Uint8Array,
  threshold: number,
): { points: number; alarms: number } {
  let points = 0,
    alarms = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    points++;
    if ((scores[i] as number) >= threshold) alarms++;
  }
  return { points, alarms };
}
