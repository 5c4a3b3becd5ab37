/**
 * Trains the global forecaster on synthetic series and writes the artifact
 * (model.json + weights.bin via dirIO) and card.json into `out`.
 *
 * Steps: pick a backend; generate training/validation pairs; fit with a
 * Gaussian NLL, keeping the weights of the best validation epoch; measure
 * the residual distribution of the online scorer on clean series and store
 * it as the calibration table; evaluate on fresh series; save.
 *
 * Effects: sets the TensorFlow.js backend; writes three files in `out`.
 * Deterministic for a seed on one backend (own Rng, own shuffle).
 * Failure modes: VigilError E_MODEL_ARTIFACT from writing; TensorFlow.js errors.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Mlp, modelFromArtifact, namedWeights, SQUASH_KNEE } from '../../detect/learned/index.js';
import type { Artifact, ForecasterMeta } from '../../detect/learned/index.js';
import { initBackend } from './backend.js';
import type { BackendName } from './backend.js';
import { buildCalibration } from './calibration.js';
import { makePairs, shufflePairs } from './dataset.js';
import type { Pairs } from './dataset.js';
import { calibrationCheck, collectAbsZ, detectionMetrics, forecastErrors } from './evaluate.js';
import { dirIO, toArtifact } from './io-handler.js';
import { buildNetwork, meanSquaredError, nllLoss } from './network.js';
import { createRng, subSeed } from './rng.js';
import { buildModelCard } from './card.js';
import type { EpochStats, ModelCard } from './card.js';

export interface TrainOptions {
  readonly out: string;
  readonly epochs?: number;
  readonly seed?: number;
  /** Training series (validation adds 15%). */
  readonly series?: number;
  readonly perSeries?: number;
  readonly length?: number;
  readonly window?: number;
  readonly hidden?: readonly number[];
  readonly batchSize?: number;
  readonly learningRate?: number;
  /** Recorded in the card (e.g. git commit); training does not look it up itself. */
  readonly codeVersion?: string;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly debug?: (msg: string) => void;
}

export type TrainProgress =
  | { readonly phase: 'backend'; readonly backend: BackendName }
  | { readonly phase: 'data'; readonly trainPairs: number; readonly valPairs: number }
  | { readonly phase: 'epoch'; readonly epoch: number; readonly epochs: number; readonly batches: number }
  | { readonly phase: 'batch'; readonly epoch: number; readonly batch: number; readonly loss: number }
  | { readonly phase: 'epoch-end'; readonly epoch: number; readonly loss: number; readonly valLoss: number }
  | { readonly phase: 'calibrate' | 'evaluate' | 'save' };

export interface TrainResult {
  readonly dir: string;
  readonly card: ModelCard;
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  const emit = o.onProgress ?? (() => {});
  const seed = o.seed ?? 1;
  const hp = {
    // Sized for scoring cost: ~700 multiply-adds per point keeps the learned
    // model near 2-3 µs of the ensemble's ~10 µs budget per point.
    window: o.window ?? 32,
    hidden: [...(o.hidden ?? [16, 8])],
    epochs: o.epochs ?? 20,
    // Large batches: TensorFlow.js's per-op overhead, not arithmetic, bounds a step.
    batchSize: o.batchSize ?? 1024,
    learningRate: o.learningRate ?? 3e-3,
    logScale: { min: -8, max: 4 },
    squashKnee: SQUASH_KNEE,
    residual: { alphaMin: 1 / 1000, cap: 4, quantum: 0.5, warmup: 32 },
  };
  const data = { series: o.series ?? 2000, perSeries: o.perSeries ?? 128, length: o.length ?? 512 };
  const backend = await initBackend(o.debug);
  emit({ phase: 'backend', backend });

  const trainPairs = makePairs(createRng(subSeed(seed, 0)), { ...data, window: hp.window });
  const valPairs = makePairs(createRng(subSeed(seed, 1)), {
    ...data,
    series: Math.max(10, Math.round(data.series * 0.15)),
    window: hp.window,
  });
  emit({ phase: 'data', trainPairs: trainPairs.n, valPairs: valPairs.n });

  const net = buildNetwork({ window: hp.window, hidden: hp.hidden, seed });
  const optimizer = tf.train.adam(hp.learningRate);
  net.compile({ optimizer, loss: nllLoss(hp.logScale), metrics: [meanSquaredError] });
  const history = await fit(net, optimizer, trainPairs, valPairs, hp, createRng(subSeed(seed, 4)), emit);

  const provisional: ForecasterMeta = {
    format: 'vigil-forecaster/1',
    id: 'provisional',
    window: hp.window,
    residual: hp.residual,
    calibration: { z: [1, 2], p: [0.5, 0.9], tailIndex: 2 },
  };
  emit({ phase: 'calibrate' });
  const trained = await inMemory(net);
  const errors = forecastErrors(Mlp.fromWeights(namedWeights(trained)), valPairs.x, valPairs.y, hp.window);
  const calSet = { series: Math.max(20, Math.round(data.series / 10)), length: 800 };
  const absZ = collectAbsZ(withMeta(trained, provisional), createRng(subSeed(seed, 2)), calSet);
  const meta: ForecasterMeta = { ...provisional, id: weightsId(trained), calibration: buildCalibration(absZ) };
  const model = withMeta(trained, meta);

  emit({ phase: 'evaluate' });
  const evalSet = { series: Math.max(20, Math.round(data.series / 10)), length: 800 };
  const calibration = calibrationCheck(model, createRng(subSeed(seed, 3)), evalSet);
  const detection = detectionMetrics(model, createRng(subSeed(seed, 5)), evalSet);

  emit({ phase: 'save' });
  net.setUserDefinedMetadata({ vigil: meta });
  await net.save(dirIO(o.out));
  const card = buildModelCard({
    meta,
    hp,
    data,
    seed,
    backend,
    codeVersion: o.codeVersion ?? 'unknown',
    trainPairs: trainPairs.n,
    valPairs: valPairs.n,
    calSet,
    evalSet,
    history,
    errors,
    calibration,
    detection,
    seconds: (Date.now() - started) / 1000,
  });
  mkdirSync(o.out, { recursive: true });
  writeFileSync(path.join(o.out, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  net.dispose();
  return { dir: o.out, card };
}

async function fit(
  net: tf.LayersModel,
  optimizer: tf.AdamOptimizer,
  tr: Pairs,
  va: Pairs,
  hp: { epochs: number; batchSize: number; window: number; learningRate: number },
  rng: ReturnType<typeof createRng>,
  emit: (p: TrainProgress) => void,
): Promise<{ epochs: EpochStats[]; best: EpochStats }> {
  const xv = tf.tensor2d(va.x, [va.n, hp.window]);
  const yv = targets(va);
  const batches = Math.ceil(tr.n / hp.batchSize);
  const epochs: EpochStats[] = [];
  let best: { stats: EpochStats; weights: tf.Tensor[] } | null = null;
  for (let epoch = 1; epoch <= hp.epochs; epoch++) {
    shufflePairs(rng, tr);
    setLearningRate(optimizer, cosine(hp.learningRate, epoch, hp.epochs));
    emit({ phase: 'epoch', epoch, epochs: hp.epochs, batches });
    const x = tf.tensor2d(tr.x, [tr.n, hp.window]);
    const y = targets(tr);
    const h = await net.fit(x, y, {
      epochs: 1,
      batchSize: hp.batchSize,
      shuffle: false,
      validationData: [xv, yv],
      verbose: 0,
      callbacks: {
        onBatchEnd: async (batch, logs) =>
          emit({ phase: 'batch', epoch, batch: batch + 1, loss: logs?.['loss'] ?? NaN }),
      },
    });
    x.dispose();
    y.dispose();
    const last = (k: string): number => Number(h.history[k]?.[0] ?? NaN);
    const stats = { epoch, loss: last('loss'), valLoss: last('val_loss'), valMse: last('val_meanSquaredError') };
    epochs.push(stats);
    emit({ phase: 'epoch-end', epoch, loss: stats.loss, valLoss: stats.valLoss });
    if (!best || stats.valLoss < best.stats.valLoss) {
      best?.weights.forEach((w) => w.dispose());
      best = { stats, weights: net.getWeights().map((w) => w.clone()) };
    }
  }
  xv.dispose();
  yv.dispose();
  if (!best) throw new RangeError('epochs must be at least 1');
  net.setWeights(best.weights);
  best.weights.forEach((w) => w.dispose());
  return { epochs, best: best.stats };
}

/** Cosine decay from lr to lr/10 over the epochs: big early steps, fine late ones. */
function cosine(lr: number, epoch: number, epochs: number): number {
  const progress = epochs > 1 ? (epoch - 1) / (epochs - 1) : 0;
  return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/**
 * TensorFlow.js has no learning-rate schedules; Adam reads its (protected)
 * learningRate field on every step, so setting it between epochs is enough
 * and keeps the moment estimates (recompiling would reset them).
 */
function setLearningRate(o: tf.AdamOptimizer, lr: number): void {
  (o as unknown as { learningRate: number }).learningRate = lr;
}

/** [n, 2] targets: TensorFlow.js wants the output's shape; column 1 is unused by the loss. */
function targets(p: Pairs): tf.Tensor2D {
  const y = new Float32Array(2 * p.n);
  for (let i = 0; i < p.n; i++) y[2 * i] = p.y[i] as number;
  return tf.tensor2d(y, [p.n, 2]);
}

async function inMemory(net: tf.LayersModel): Promise<Artifact> {
  let captured: Artifact | null = null;
  await net.save(
    tf.io.withSaveHandler(async (a) => {
      captured = toArtifact(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('model.save did not produce artifacts');
  return captured;
}

function withMeta(a: Artifact, meta: ForecasterMeta) {
  return modelFromArtifact(
    { json: { ...a.json, userDefinedMetadata: { vigil: meta } }, weightData: a.weightData },
    'in-memory model',
  );
}

/** Content id: snapshots name the exact weights they were computed with. */
function weightsId(a: Artifact): string {
  return 'fc-' + createHash('sha256').update(new Uint8Array(a.weightData)).digest('hex').slice(0, 12);
}
