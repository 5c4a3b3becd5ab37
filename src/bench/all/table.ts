/**
 * The human table of `vigil bench all`: every corpus in one table, the main
 * detector beside the baseline where the baseline ran, and each corpus's
 * wall time; a skipped or failed corpus is one row saying why. Pure.
 */
import { PROFILE_NAMES } from '../nab/profiles.js';
import type { AllReport, KpiDetectorScores, NabDetectorScores, Section } from './types.js';

type Row = readonly [string, string, string, string, string];

const f2 = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(2));
const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(3));
const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}% (${a}/${b})`);
const secs = (s: number): string => `${s.toFixed(1)} s`;
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function render(rows: readonly Row[]): string {
  const w = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 2 ? cell.padEnd(w[c] ?? 0) : cell.padStart(w[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Rows of one section: its own rows with the wall time on the first, or one row saying why it did not run. */
function section<T>(title: string, s: Section<T>, rows: (r: T) => Array<[string, string, string]>): Row[] {
  if (s.status !== 'ok') return [[title, `${s.status}: ${s.reason}`, '', '', '']];
  return rows(s.result).map(([m, a, b], i) => [i === 0 ? title : '', m, a, b, i === 0 ? secs(s.wallSeconds) : '']);
}

const SHORT = { standard: 'standard', reward_low_FP_rate: 'low FP', reward_low_FN_rate: 'low FN' } as const;

function nabRows(main: NabDetectorScores, base: NabDetectorScores | null): Array<[string, string, string]> {
  return [
    ...PROFILE_NAMES.map((p): [string, string, string] => [`NAB ${SHORT[p]}`, f2(main.scores[p]), f2(base?.scores[p])]),
    ...Object.keys(main.categories).map((c): [string, string, string] => [
      `  ${c} (standard)`,
      f2(main.categories[c]),
      f2(base?.categories[c]),
    ]),
  ];
}

function kpiRows(
  main: KpiDetectorScores,
  base: KpiDetectorScores | null,
  delay: number,
): Array<[string, string, string]> {
  return [
    [`paF1 (delay ${delay}, one threshold)`, f3(main.paF1), f3(base?.paF1)],
    ['pointF1 (one threshold)', f3(main.pointF1), f3(base?.pointF1)],
    ['median per-KPI F1 at paF1 threshold', f3(main.medianKpiF1), f3(base?.medianKpiF1)],
    ['paF1 threshold', f3(main.paThreshold), f3(base?.paThreshold)],
  ];
}

export function allTable(r: AllReport): string {
  const rows: Row[] = [['corpus', 'measure', r.detector, r.baseline ?? 'baseline', 'wall']];
  const nabTitle = r.nab.status === 'ok' ? `NAB (${r.nab.result.files} files)` : 'NAB';
  rows.push(...section(nabTitle, r.nab, (n) => nabRows(n.main, n.baseline)));
  const kpiTitle = r.kpi.status === 'ok' ? `KPI (${r.kpi.result.series} series)` : 'KPI';
  rows.push(...section(kpiTitle, r.kpi, (k) => kpiRows(k.main, k.baseline, k.delay)));
  const scTitle = r.scenarios.status === 'ok' ? `scenarios (${r.scenarios.result.runs.length})` : 'scenarios';
  rows.push(
    ...section(scTitle, r.scenarios, (s) => {
      const t = s.summary.totals;
      return [
        ['recall', pct(t.tp, t.truth), ''],
        ['precision', pct(t.tp, t.predicted), ''],
        ['top-1 attribution', pct(t.attributed, t.caused), ''],
        ['false blame', pct(t.blamed, t.innocent), ''],
        ['median delay (min)', s.summary.medianDelayMin === null ? '-' : String(s.summary.medianDelayMin), ''],
        ...Object.entries(s.summary.byKind).map(([k, c]): [string, string, string] => [
          `  caught: ${k}`,
          `${c.found}/${c.events}`,
          '',
        ]),
        ...s.runs.map((x): [string, string, string] => [
          `  ${x.name}: caught, top-1, blamed`,
          `${x.tp}/${x.truth}, ${x.attributed}/${x.caused}, ${x.blamed}/${x.innocent}`,
          '',
        ]),
      ];
    }),
  );
  const simTitle = r.simulated.status === 'ok' ? `simulated (${r.simulated.result.seeds} seeds)` : 'simulated';
  rows.push(
    ...section(simTitle, r.simulated, (s) => [
      ['recall', pct(s.detected, s.injected), ''],
      ['precision', pct(s.matched, s.incidents), ''],
      ['top-1 attribution', pct(s.top1, s.causedDetected), ''],
      ['false blame', pct(s.falseBlamed, s.innocentIncidents), ''],
      ['median delay (samples)', s.medianDelaySamples === null ? '-' : String(s.medianDelaySamples), ''],
    ]),
  );
  rows.push(
    ...section('throughput', r.throughput, (t) => [
      [`points/s (${int(t.series)} x ${int(t.points)})`, int(t.pointsPerSecond), ''],
      ['state bytes/series (mean, max)', `${int(t.stateBytesPerSeries.mean)}, ${int(t.stateBytesPerSeries.max)}`, ''],
    ]),
  );
  const notes = [
    `scenarios and simulated run the configured detector through the whole pipeline${r.scenarios.status === 'ok' ? ` (${r.scenarios.result.detector})` : ''}; the baseline column covers NAB and KPI only.`,
    `total ${secs(r.wallSeconds)}`,
  ];
  return `${render(rows)}\n\n${notes.join('\n')}`;
}
