/**
 * The shape of `vigil bench all`: one section per corpus, each run, skipped
 * (its directory is absent, or --skip) or failed (its data or a detector
 * threw; the other sections still run). Types only.
 */
import type { ByProfile } from '../nab/profiles.js';
import type { KpiSeriesScore } from '../kpi/score.js';
import type { KindCounts, ScenarioSummary } from '../backtest/match.js';
import type { ScenarioReport } from '../scenarios.js';
import type { ThroughputResult } from '../throughput.js';

export type Section<T> =
  | { readonly status: 'ok'; readonly wallSeconds: number; readonly result: T }
  | { readonly status: 'skipped' | 'failed'; readonly reason: string };

export interface NabDetectorScores {
  readonly detector: string;
  readonly scores: ByProfile<number | null>;
  /** standard profile, each category at the corpus threshold */
  readonly categories: Readonly<Record<string, number | null>>;
}

export interface NabSection {
  readonly files: number;
  readonly rows: number;
  readonly windows: number;
  readonly main: NabDetectorScores;
  readonly baseline: NabDetectorScores | null;
}

export interface KpiDetectorScores {
  readonly detector: string;
  readonly paF1: number;
  readonly paThreshold: number | null;
  readonly pointF1: number;
  readonly pointThreshold: number | null;
  /** per-KPI F1 at the global paF1 threshold, median over KPIs */
  readonly medianKpiF1: number | null;
  readonly perKpi: readonly KpiSeriesScore[];
  readonly seconds: number;
}

export interface KpiSection {
  readonly series: number;
  readonly points: number;
  readonly delay: number;
  readonly main: KpiDetectorScores;
  readonly baseline: KpiDetectorScores | null;
}

export interface ScenarioRun {
  readonly name: string;
  readonly seconds: number;
  readonly truth: number;
  readonly predicted: number;
  readonly tp: number;
  readonly attributed: number;
  readonly caused: number;
  readonly blamed: number;
  readonly innocent: number;
  readonly medianDelayMin: number | null;
  readonly byKind: Readonly<Record<string, KindCounts>>;
  /** Incidents silent about a failed verdict of a deploy they weighed (backtest/silent.ts): should be 0. */
  readonly silent: number;
}

export interface ScenarioSection {
  /** the detector `vigil backtest` runs: the configured one, not --detector */
  readonly detector: string;
  readonly summary: ScenarioSummary;
  readonly runs: readonly ScenarioRun[];
}

export interface AllReport {
  readonly detector: string;
  readonly baseline: string | null;
  readonly nab: Section<NabSection>;
  readonly kpi: Section<KpiSection>;
  readonly scenarios: Section<ScenarioSection>;
  readonly simulated: Section<ScenarioReport>;
  readonly throughput: Section<ThroughputResult>;
  readonly wallSeconds: number;
}

export const SECTION_NAMES = ['nab', 'kpi', 'scenarios', 'simulated', 'throughput'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];
