import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { namedWeights, readArtifactSync } from '../../../src/detect/learned/artifact.js';
import { initBackend } from '../../../src/bench/train/backend.js';
import { dirIO } from '../../../src/bench/train/io-handler.js';
import { buildNetwork } from '../../../src/bench/train/network.js';
import { loadLearnedModel, loadLearnedModelSync } from '../../../src/detect/learned/index.js';

describe('artifact IOHandler', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-artifact-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a model through model.json + weights.bin', async () => {
    const model = buildNetwork({ window: 16, hidden: [8, 4], seed: 3 });
    model.setUserDefinedMetadata({ vigil: { note: 'kept' } });
    await model.save(dirIO(dir));
    expect(statSync(path.join(dir, 'weights.bin')).size).toBe(4 * model.countParams());
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);

    const loaded = await tf.loadLayersModel(dirIO(dir));
    expect(loaded.getUserDefinedMetadata()).toEqual({ vigil: { note: 'kept' } });
    const x = tf.randomNormal([32, 16], 0, 1, 'float32', 5);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));

    // The fs reader used for scoring sees the same weights, bit for bit.
    const mine = namedWeights(readArtifactSync(dir));
    const theirs = model.weights.map((w) => w.read().dataSync());
    expect(mine.map((w) => Array.from(w.values))).toEqual(theirs.map((t) => Array.from(t)));
    model.dispose();
    loaded.dispose();
  });

  it('rejects a truncated weights file and a missing directory with E_MODEL_ARTIFACT', () => {
    const bin = readFileSync(path.join(dir, 'weights.bin'));
    writeFileSync(path.join(dir, 'weights.bin'), bin.subarray(0, bin.length - 4));
    expect(() => namedWeights(readArtifactSync(dir))).toThrow(expect.objectContaining({ code: 'E_MODEL_ARTIFACT' }));
    expect(() => loadLearnedModelSync(path.join(dir, 'nope'))).toThrow(
      expect.objectContaining({ code: 'E_MODEL_ARTIFACT' }),
    );
  });

  it('refuses an artifact without scoring metadata', async () => {
    const model = buildNetwork({ window: 16, hidden: [8], seed: 3 });
    await model.save(dirIO(dir));
    await expect(loadLearnedModel(dir)).rejects.toMatchObject({ code: 'E_MODEL_ARTIFACT' });
    model.dispose();
  });
});
