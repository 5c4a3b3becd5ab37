import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trainForecaster } from '../../../src/bench/train/index.js';
import type { TrainProgress } from '../../../src/bench/train/index.js';
import { loadLearnedModel, loadLearnedModelSync } from '../../../src/detect/learned/index.js';

describe('training a tiny forecaster', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-train-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an artifact and card that load and score', async () => {
    const phases: TrainProgress['phase'][] = [];
    const { card } = await trainForecaster({
      out: dir,
      epochs: 2,
      seed: 5,
      series: 40,
      perSeries: 24,
      length: 256,
      window: 16,
      hidden: [8, 4],
      codeVersion: 'test',
      onProgress: (p) => phases.push(p.phase),
    });
    expect(phases).toEqual(
      expect.arrayContaining(['backend', 'data', 'epoch', 'batch', 'epoch-end', 'calibrate', 'save']),
    );
    expect(card.history).toHaveLength(2);
    expect(card.data.source).toMatch(/synthetic/);
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8'));
    expect(onDisk.id).toBe(card.id);
    expect(onDisk.codeVersion).toBe('test');

    const a = await loadLearnedModel(dir);
    const b = loadLearnedModelSync(dir);
    expect(a.id).toBe(card.id);
    expect(a.window).toBe(16);
    const sa = a.create();
    const sb = b.create();
    for (let t = 0; t < 200; t++) {
      const v = 5 + Math.sin(t / 6);
      expect(sa.update(t, v)).toEqual(sb.update(t, v));
    }
  });
});
