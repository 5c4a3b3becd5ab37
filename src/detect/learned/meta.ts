/**
 * The inference settings stored with the weights (model.json
 * `userDefinedMetadata.vigil`). Everything the online scorer needs besides
 * the weights lives here, because the calibration table is only valid for
 * the exact residual-tracking settings it was measured with.
 */
import { z } from 'zod';

export const forecasterMetaSchema = z
  .object({
    format: z.literal('vigil-forecaster/1'),
    /** Unique per training run; snapshots carry it. */
    id: z.string().min(1),
    window: z.number().int().min(4).max(1024),
    residual: z
      .object({
        /** Slowest learning rate of the running residual scale (its memory is ~1/alphaMin points). */
        alphaMin: z.number().positive().max(1),
        /** |residuals| are capped at cap * scale before folding in. */
        cap: z.number().positive(),
        /** Floor of the residual scale, as a fraction of the series' quantum (series-model.ts spread()). */
        quantum: z.number().nonnegative(),
        /** Residuals to see, after the window fills, before `ready`. */
        warmup: z.number().int().min(0),
      })
      .strict(),
    /** Empirical CDF of |z| on normal synthetic data: knots (z ascending, p ascending in (0,1)) + Pareto tail index. */
    calibration: z
      .object({
        z: z.array(z.number().nonnegative()).min(2),
        p: z.array(z.number().gt(0).lt(1)).min(2),
        tailIndex: z.number().positive(),
      })
      .strict()
      .refine((c) => c.z.length === c.p.length, 'calibration z and p differ in length'),
  })
  .strict();

export type ForecasterMeta = z.infer<typeof forecasterMetaSchema>;
