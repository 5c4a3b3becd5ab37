/** Public surface of the benchmarks: the detectors they run (main + ablations), NAB, KPI, deploy-attribution scenarios (and the demo's summary against its ground truth), calibration, throughput, reports. Training is bench/train/. */
export { benchDetectors } from './ablations.js';
export {
  runNab,
  nabSeriesRef,
  type NabRunOptions,
  type NabRunResult,
  type NabDetectorResult,
  type NabProgress,
} from './nab/run.js';
export { loadNab, type NabCorpus, type NabFile } from './nab/data.js';
export { scoreCorpus, type ScorableFile, type ProfileScore, type CategoryScore } from './nab/scorer.js';
export { readResults, resultsPath, formatScore } from './nab/results.js';
export { scoreResultsDir } from './nab/score-results.js';
export { PROFILES, PROFILE_NAMES, type CostProfile, type ProfileName, type ByProfile } from './nab/profiles.js';
export { probationLength, rowValues, scaledSigmoid, type RowWindow } from './nab/rows.js';
export { runThroughput, type ThroughputOptions, type ThroughputResult } from './throughput.js';
export { syntheticSeries, mulberry32 } from './synthetic.js';
export { nabJson, nabTable, throughputTable, type NabJson } from './report.js';
export { loadKpi, parseKpi, type KpiSeries } from './kpi/data.js';
export { runKpi, detectKpi, kpiSeriesRef, type KpiDetectorResult } from './kpi/run.js';
export { scoreKpi, bestF1, type KpiScore, type KpiScorable, type KpiSeriesScore, type BestF1 } from './kpi/score.js';
export {
  matchScenario,
  summarise,
  upperMedian,
  type TruthEvent,
  type MatchableIncident,
  type ScenarioCounts,
  type ScenarioSummary,
  type KindCounts,
} from './backtest/match.js';
export { readTruth, parseTruth } from './backtest/truth.js';
export { summarise as summariseDemo, type DemoSummary, type InjectedResult } from './demo-summary.js';
export {
  checkLines,
  type DemoChecks,
  type DemoEvidence,
  type HeadlineCheck,
  type RecommendedPlaybook,
  type RollbackCheck,
  type SeriesTruth,
} from './demo-checks.js';
export { runCalibration, type CalibrationResult, type CalibrationOptions, type SeriesRate } from './calibration/run.js';
export { spread, quantile, type Spread } from './calibration/spread.js';
export { calibrationTable } from './calibration/table.js';
export { allTable } from './all/table.js';
export {
  SECTION_NAMES,
  type AllReport,
  type Section,
  type SectionName,
  type NabSection,
  type KpiSection,
  type ScenarioSection,
  type ScenarioRun,
  type NabDetectorScores,
  type KpiDetectorScores,
} from './all/types.js';
