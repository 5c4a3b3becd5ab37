/** Public surface of the benchmarks: NAB run + scorer, throughput, reports. */
export { runNab, nabSeriesRef, type NabRunOptions, type NabRunResult, type NabDetectorResult, type NabProgress } from './nab/run.js';
export { loadNab, type NabCorpus, type NabFile } from './nab/data.js';
export { scoreCorpus, type ScorableFile, type ProfileScore, type CategoryScore } from './nab/scorer.js';
export { readResults, resultsPath, formatScore } from './nab/results.js';
export { scoreResultsDir } from './nab/score-results.js';
export { PROFILES, PROFILE_NAMES, type CostProfile, type ProfileName, type ByProfile } from './nab/profiles.js';
export { probationLength, rowValues, scaledSigmoid, type RowWindow } from './nab/rows.js';
export { runThroughput, type ThroughputOptions, type ThroughputResult } from './throughput.js';
export { syntheticSeries, mulberry32 } from './synthetic.js';
export { nabJson, nabTable, throughputTable, type NabJson } from './report.js';
