/**
 * Turns benchmark results into the CLI's JSON object and human tables.
 * Pure. Categories without windows have score null (JSON) / "-" (table);
 * their FP row count is still shown.
 */
import type { NabDetectorResult, NabRunResult } from './nab/run.js';
import { PROFILE_NAMES, type ByProfile } from './nab/profiles.js';
import type { ThroughputResult } from './throughput.js';

export interface NabJson {
  readonly detector: string;
  readonly files: number;
  readonly rows: number;
  readonly windows: number;
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly rowsPerSecond: number;
  readonly scores: ByProfile<number | null>;
  readonly thresholds: ByProfile<number>;
  readonly categories: Record<string, ByProfile<number | null>>;
  readonly ablation: Record<string, ByProfile<number | null>>;
}

const byProfile = <T>(f: (p: (typeof PROFILE_NAMES)[number]) => T): ByProfile<T> =>
  Object.fromEntries(PROFILE_NAMES.map((p) => [p, f(p)])) as ByProfile<T>;

/** The main detector (first) with the others as ablation. */
export function nabJson(run: NabRunResult): NabJson {
  const [main, ...rest] = run.detectors as [NabDetectorResult, ...NabDetectorResult[]];
  const categories: Record<string, ByProfile<number | null>> = {};
  for (const name of Object.keys(main.scores.standard.categories)) {
    categories[name] = byProfile((p) => main.scores[p].categories[name]?.score ?? null);
  }
  return {
    detector: main.detector,
    files: run.files,
    rows: run.rows,
    windows: run.windows,
    seconds: Number(main.seconds.toFixed(3)),
    wallSeconds: Number(main.wallSeconds.toFixed(3)),
    rowsPerSecond: Math.round(main.rowsPerSecond),
    scores: byProfile((p) => main.scores[p].score),
    thresholds: byProfile((p) => main.scores[p].threshold),
    categories,
    ablation: Object.fromEntries(rest.map((d) => [d.detector, byProfile((p) => d.scores[p].score)])),
  };
}

const SHORT: ByProfile<string> = { standard: 'standard', reward_low_FP_rate: 'low_FP', reward_low_FN_rate: 'low_FN' };
const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function nabTable(run: NabRunResult): string {
  const [main, ...rest] = run.detectors as [NabDetectorResult, ...NabDetectorResult[]];
  const out: string[] = [
    `NAB: ${run.files} files, ${int(run.rows)} rows, ${run.windows} windows`,
    `detector ${main.detector}: ${main.seconds.toFixed(2)} s detector time, ${int(main.rowsPerSecond)} rows/s (${main.wallSeconds.toFixed(2)} s wall)`,
    '',
    table([
      ['profile', 'score', 'threshold', 'windows hit', 'FP rows'],
      ...PROFILE_NAMES.map((p) => {
        const s = main.scores[p];
        return [p, fmt(s.score), s.threshold.toPrecision(6), `${s.detected}/${s.windows}`, int(s.falsePositives)];
      }),
    ]),
    '',
    table([
      ['category', 'files', 'windows', ...PROFILE_NAMES.map((p) => SHORT[p]), 'hit', 'FP rows'],
      ...Object.entries(main.scores.standard.categories).map(([name, c]) => [
        name,
        String(c.files),
        String(c.windows),
        ...PROFILE_NAMES.map((p) => fmt(main.scores[p].categories[name]?.score ?? null)),
        `${c.detected}/${c.windows}`,
        int(c.falsePositives),
      ]),
    ]),
    '(categories: scored at the corpus threshold, normalised by their own windows; hit/FP rows at the standard threshold)',
  ];
  if (rest.length > 0) {
    out.push(
      '',
      table([
        ['ablation', ...PROFILE_NAMES.map((p) => SHORT[p]), 'Δ standard', 'rows/s'],
        ...run.detectors.map((d) => [
          d.detector,
          ...PROFILE_NAMES.map((p) => fmt(d.scores[p].score)),
          d === main ? '' : fmt((d.scores.standard.score ?? 0) - (main.scores.standard.score ?? 0)),
          int(d.rowsPerSecond),
        ]),
      ]),
    );
  }
  return out.join('\n');
}

export function throughputTable(r: ThroughputResult): string {
  const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
  return [
    `throughput: detector ${r.detector}, ${int(r.series)} series x ${int(r.points)} points = ${int(r.updates)} updates (main thread)`,
    `  ${int(r.pointsPerSecond)} points/s (${r.seconds.toFixed(2)} s in update)`,
    `  peak RSS ${mb(r.peakRssBytes)}, peak heap ${mb(r.peakHeapUsedBytes)}`,
    `  state per series: mean ${int(r.stateBytesPerSeries.mean)} B, max ${int(r.stateBytesPerSeries.max)} B (JSON of snapshot())`,
  ].join('\n');
}
