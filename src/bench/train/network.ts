/**
 * The forecaster network in TensorFlow.js, for training only;
 * detect/learned/mlp.ts is the scoring twin and must compute the same
 * function (a test checks 1e-5).
 *
 *   window ─┬─ h1 (relu) ─ h2 (relu) ─ head (2, linear) ─┐
 *           └──────────── skip (2, linear) ──────────────┴─ add ─ [location, rawLogScale]
 *
 * The linear skip starts as "repeat the last value", so training begins at
 * the persistence forecast and the hidden layers learn corrections to it.
 * Loss: Laplace negative log-likelihood with a softly bounded log-scale
 * (lb = mid + half * tanh((raw - mid) / half)): noisy windows weigh less. Laplace,
 * not Gaussian: metric changes are heavy-tailed (resets, jumps, bursts) and
 * a Gaussian fit lets those pull the forecast off the typical next value.
 */
import * as tf from '@tensorflow/tfjs';

export interface NetworkShape {
  readonly window: number;
  readonly hidden: readonly number[];
  readonly seed: number;
}

export function buildNetwork(s: NetworkShape): tf.LayersModel {
  const input = tf.input({ shape: [s.window], name: 'window' });
  let h: tf.SymbolicTensor = input;
  s.hidden.forEach((units, i) => {
    h = tf.layers
      .dense({
        units,
        activation: 'relu',
        name: `h${i + 1}`,
        kernelInitializer: tf.initializers.heNormal({ seed: s.seed + i }),
      })
      .apply(h) as tf.SymbolicTensor;
  });
  const head = tf.layers
    .dense({ units: 2, name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: s.seed + 100 }) })
    .apply(h) as tf.SymbolicTensor;
  const skipLayer = tf.layers.dense({ units: 2, name: 'skip', kernelInitializer: 'zeros' });
  const skip = skipLayer.apply(input) as tf.SymbolicTensor;
  const out = tf.layers.add({ name: 'forecast' }).apply([head, skip]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'vigil_forecaster' });
  const kernel = new Float32Array(s.window * 2);
  kernel[(s.window - 1) * 2] = 1; // mean <- last value
  skipLayer.setWeights([tf.tensor2d(kernel, [s.window, 2]), tf.zeros([2])]);
  return model;
}

/** Laplace NLL (up to a constant) of y = yTrue[:, 0] with location out[0], log-scale softly bounded to [min, max]. */
export function nllLoss(bounds: { min: number; max: number }) {
  const mid = (bounds.max + bounds.min) / 2;
  const half = (bounds.max - bounds.min) / 2;
  return (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const loc = yPred.slice([0, 0], [-1, 1]);
      const ls = yPred.slice([0, 1], [-1, 1]).sub(mid).div(half).tanh().mul(half).add(mid);
      const abs = yTrue.slice([0, 0], [-1, 1]).sub(loc).abs();
      return ls.add(abs.mul(ls.neg().exp())).mean();
    });
}

/** Mean squared error of the location output only (a metric for the card). */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    yTrue
      .slice([0, 0], [-1, 1])
      .sub(yPred.slice([0, 0], [-1, 1]))
      .square()
      .mean(),
  );
}
