import * as tf from '@tensorflow/tfjs';
import { namedWeights } from '../../../src/detect/learned/artifact.js';
import { initBackend } from '../../../src/bench/train/backend.js';
import { dirIO, toArtifact } from '../../../src/bench/train/io-handler.js';
import { Mlp } from '../../../src/detect/learned/mlp.js';
import { buildNetwork } from '../../../src/bench/train/network.js';
import { createRng } from '../../../src/bench/train/rng.js';
import { DEFAULT_MODEL_DIR } from '../../../src/detect/learned/index.js';
import type { Artifact } from '../../../src/detect/learned/artifact.js';

async function capture(model: tf.LayersModel): Promise<Artifact> {
  let out: Artifact | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = toArtifact(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('no artifacts');
  return out;
}

/** Inputs like the scorer's: mostly within ±4, some squashed outliers up to ±12. */
function inputs(n: number, w: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * w }, () => (rng.chance(0.05) ? rng.uniform(-12, 12) : rng.normal() * 1.5));
}

function maxDiff(net: Mlp, model: tf.LayersModel, x: Float32Array, w: number): number {
  const n = x.length / w;
  const expected = tf.tidy(() => (model.predict(tf.tensor2d(x, [n, w])) as tf.Tensor).dataSync());
  const out = new Float64Array(2);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    net.forward(x.subarray(i * w, (i + 1) * w), out);
    worst = Math.max(
      worst,
      Math.abs((out[0] as number) - (expected[2 * i] as number)),
      Math.abs((out[1] as number) - (expected[2 * i + 1] as number)),
    );
  }
  return worst;
}

describe('JS forward pass', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('matches tf predict for a freshly initialised network within 1e-5', async () => {
    const model = buildNetwork({ window: 24, hidden: [12, 6], seed: 7 });
    // Non-zero biases too, so every term of the forward pass is exercised.
    model
      .getLayer('h1')
      .setWeights([model.getLayer('h1').getWeights()[0] as tf.Tensor, tf.randomNormal([12], 0, 0.5, 'float32', 3)]);
    model.getLayer('head').setWeights([model.getLayer('head').getWeights()[0] as tf.Tensor, tf.tensor1d([0.3, -0.7])]);
    const net = Mlp.fromWeights(namedWeights(await capture(model)));
    expect(maxDiff(net, model, inputs(500, 24, 1), 24)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('matches tf predict for the committed model within 1e-5', async () => {
    const model = await tf.loadLayersModel(dirIO(DEFAULT_MODEL_DIR));
    const w = model.inputs[0]?.shape[1] as number;
    const net = Mlp.fromWeights(namedWeights(await capture(model)));
    expect(net.inputSize).toBe(w);
    expect(maxDiff(net, model, inputs(1000, w, 2), w)).toBeLessThan(1e-5);
    model.dispose();
  });
});
