/**
 * A TensorFlow.js IOHandler for a directory (plain tfjs has no file://
 * handler in Node): `model.save(dirIO(dir))` and `tf.loadLayersModel(dirIO(dir))`.
 *
 * Effects: writes/reads model.json and weights.bin in `dir` via
 * detect/learned/artifact.ts.
 * Failure modes: as detect/learned/artifact.ts (VigilError E_MODEL_ARTIFACT).
 * Imports TensorFlow.js types only, so it adds nothing to scoring's startup.
 */
import type { io } from '@tensorflow/tfjs';
import { readArtifact, WEIGHTS_FILE, writeArtifact } from '../../detect/learned/index.js';
import type { Artifact, ModelJson, WeightSpec } from '../../detect/learned/index.js';

export function dirIO(dir: string): io.IOHandler {
  return {
    async save(a: io.ModelArtifacts): Promise<io.SaveResult> {
      const { json, weightData } = toArtifact(a);
      writeArtifact(dir, json, weightData);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(a.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(a.weightSpecs ?? []).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },
    async load(): Promise<io.ModelArtifacts> {
      const { json, weightData } = await readArtifact(dir);
      const out: io.ModelArtifacts = {
        modelTopology: json.modelTopology as object,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as io.WeightsManifestEntry[],
        weightData,
        format: json.format ?? 'layers-model',
        generatedBy: json.generatedBy ?? 'vigil',
        convertedBy: json.convertedBy ?? null,
      };
      if (json.trainingConfig !== undefined) out.trainingConfig = json.trainingConfig as io.TrainingConfig;
      if (json.userDefinedMetadata !== undefined)
        out.userDefinedMetadata = json.userDefinedMetadata as { [k: string]: object };
      return out;
    },
  };
}

/** What `model.save` hands a handler, as the artifact.ts shape (also used in memory by training). */
export function toArtifact(a: io.ModelArtifacts): Artifact {
  if (a.modelTopology instanceof ArrayBuffer) throw new TypeError('binary model topology is not supported');
  const json: ModelJson = {
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy ?? 'vigil',
    convertedBy: a.convertedBy ?? null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: (a.weightSpecs ?? []) as WeightSpec[] }],
  };
  if (a.trainingConfig !== undefined) json.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata !== undefined) json.userDefinedMetadata = a.userDefinedMetadata;
  return { json, weightData: joinBuffers(a.weightData) };
}

function joinBuffers(data: io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  return out.buffer;
}
