/**
 * The model card written next to the weights: what the model was trained
 * on, how, when, by which code, and how well it did. For people and for
 * the benchmark report; scoring never reads it (model.json carries what
 * scoring needs).
 */
import type { BackendName } from './backend.js';
import type { CalibrationCheck, DetectionMetrics, EvalSet, ForecastErrors } from './evaluate.js';
import type { ForecasterMeta } from '../../detect/learned/index.js';

export interface EpochStats {
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly valMse: number;
}

export interface CardInput {
  readonly meta: ForecasterMeta;
  readonly hp: Record<string, unknown>;
  readonly data: { series: number; perSeries: number; length: number };
  readonly seed: number;
  readonly backend: BackendName;
  readonly codeVersion: string;
  readonly trainPairs: number;
  readonly valPairs: number;
  readonly calSet: EvalSet;
  readonly evalSet: EvalSet;
  readonly history: { epochs: EpochStats[]; best: EpochStats };
  readonly errors: ForecastErrors;
  readonly calibration: CalibrationCheck;
  readonly detection: DetectionMetrics;
  readonly seconds: number;
}

export type ModelCard = ReturnType<typeof buildModelCard>;

const round = (x: number, d = 4): number => Number(x.toFixed(d));

export function buildModelCard(c: CardInput) {
  return {
    name: 'vigil-forecaster',
    id: c.meta.id,
    createdAt: new Date().toISOString(),
    codeVersion: c.codeVersion,
    task: 'one-step-ahead forecast (Laplace location + log-scale) of a metric from its last W values, normalised by window median/IQR',
    data: {
      source: 'synthetic only (src/bench/train/synthetic.ts); no NAB or other benchmark data',
      seed: c.seed,
      trainSeries: c.data.series,
      valSeries: Math.max(10, Math.round(c.data.series * 0.15)),
      seriesLength: c.data.length,
      windowsPerSeries: c.data.perSeries,
      trainPairs: c.trainPairs,
      valPairs: c.valPairs,
      calibrationSet: c.calSet,
      evaluationSet: c.evalSet,
    },
    training: { backend: c.backend, seconds: round(c.seconds, 1), bestEpoch: c.history.best.epoch },
    hyperparameters: { ...c.hp, loss: 'laplace-nll', optimizer: 'adam' },
    metrics: {
      trainLoss: round(c.history.best.loss),
      valLoss: round(c.history.best.valLoss),
      valMse: round(c.history.best.valMse),
      valMae: round(c.errors.mae),
      valPersistenceMae: round(c.errors.persistenceMae),
      /** 1 - MAE / persistence MAE: share of the naive forecast's error removed. */
      valSkillVsPersistence: round(1 - c.errors.mae / c.errors.persistenceMae),
      cleanExceed99: round(c.calibration.exceed99, 5),
      cleanExceed999: round(c.calibration.exceed999, 5),
      syntheticAnomalyAuc: round(c.detection.auc),
      syntheticRecall999: round(c.detection.recall999),
      syntheticFalseAlarm999: round(c.detection.falseAlarm999, 5),
      scoringPointsPerSecond: c.detection.pointsPerSecond,
    },
    history: c.history.epochs.map((e) => ({ epoch: e.epoch, loss: round(e.loss), valLoss: round(e.valLoss) })),
    calibration: c.meta.calibration,
  };
}
