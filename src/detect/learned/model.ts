/**
 * The loaded forecaster: weights + inference metadata + calibration, shared
 * read-only by every series. `create` and `restore` hand out per-series
 * scorers; restore validates the snapshot with a schema because it comes
 * from storage or another worker.
 *
 * Failure modes: E_MODEL_ARTIFACT when the artifact's metadata is missing or
 * malformed; E_DETECTOR_STATE for a snapshot that is not ours.
 */
import { z } from 'zod';
import { VigilError } from '../../domain/index.js';
import type { Artifact } from './artifact.js';
import { namedWeights } from './artifact.js';
import { Calibrator } from './calibration.js';
import { forecasterMetaSchema } from './meta.js';
import { Mlp } from './mlp.js';
import type { ForecasterParts } from './series-model.js';
import { LearnedSeries } from './series-model.js';
import type { LearnedModel, LearnedSeriesModel } from './types.js';
import { SlidingWindow } from './window.js';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const snapshotSchema = z
  .object({
    format: z.literal('vigil-learned/1'),
    model: z.string(),
    n: z.number().int().nonnegative(),
    window: z.array(finite),
    q: finite.refine((v) => v >= 0, 'non-negative'),
    ra: finite.refine((v) => v >= 0, 'non-negative'),
    nr: z.number().int().nonnegative(),
  })
  .strict();

export function modelFromArtifact(a: Artifact, source: string): LearnedModel {
  const parsed = forecasterMetaSchema.safeParse(a.json.userDefinedMetadata?.['vigil']);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['vigil', ...(issue?.path ?? [])].join('.');
    throw new VigilError(
      'E_MODEL_ARTIFACT',
      `${source}: model.json userDefinedMetadata.${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const meta = parsed.data;
  const net = Mlp.fromWeights(namedWeights(a));
  if (net.inputSize !== meta.window) {
    throw new VigilError('E_MODEL_ARTIFACT', `${source}: network input ${net.inputSize} != window ${meta.window}`);
  }
  return new Forecaster({ net, meta, calibrator: new Calibrator(meta.calibration) });
}

class Forecaster implements LearnedModel {
  readonly id: string;
  readonly window: number;
  readonly warmup: number;

  constructor(private readonly parts: ForecasterParts) {
    this.id = parts.meta.id;
    this.window = parts.meta.window;
    this.warmup = parts.meta.window + parts.meta.residual.warmup;
  }

  create(stride = 1): LearnedSeriesModel {
    return new LearnedSeries(this.parts, { n: 0, q: 0, ra: 0, nr: 0 }, undefined, stride);
  }

  restore(state: unknown, stride = 1): LearnedSeriesModel {
    const s = snapshotSchema.safeParse(state);
    if (!s.success) {
      const issue = s.error.issues[0];
      throw new VigilError(
        'E_DETECTOR_STATE',
        `not a learned-model snapshot: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
      );
    }
    const { model, n, window, q, ra, nr } = s.data;
    if (model !== this.id) {
      throw new VigilError('E_DETECTOR_STATE', `snapshot is from model ${model}, loaded model is ${this.id}`);
    }
    if (window.length !== (n === 0 ? 0 : this.window)) {
      throw new VigilError('E_DETECTOR_STATE', `snapshot window has ${window.length} values, expected ${this.window}`);
    }
    const win = n === 0 ? undefined : SlidingWindow.from(window);
    return new LearnedSeries(this.parts, { n, q, ra, nr }, win, stride);
  }
}
