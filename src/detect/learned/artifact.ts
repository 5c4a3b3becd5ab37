/**
 * Reads and writes a TensorFlow.js layers-model artifact as two files:
 * model.json (topology, weights manifest, metadata) and weights.bin
 * (little-endian float32, in manifest order). The format is TensorFlow.js's
 * own, so `tf.loadLayersModel` reads what this writes and vice versa.
 *
 * Effects: file reads; `writeArtifact` writes both files (each via a
 * temporary file and rename, so a reader never sees half a file).
 * Failure modes: VigilError E_MODEL_ARTIFACT for a missing file, bad JSON,
 * an unsupported dtype/quantisation, or a weights.bin of the wrong size.
 * Needs no TensorFlow.js at runtime: scoring loads weights with this alone.
 */
import { readFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VigilError } from '../../domain/index.js';
import type { NamedWeight } from './mlp.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** model.json as TensorFlow.js writes it (fields we do not use pass through). */
export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  trainingConfig?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
}

export interface Artifact {
  readonly json: ModelJson;
  readonly weightData: ArrayBuffer;
}

export function readArtifactSync(dir: string): Artifact {
  const json = parseModelJson(
    readOrThrow(dir, MODEL_FILE, (p) => readFileSync(p, 'utf8')),
    dir,
  );
  const bin = readOrThrow(dir, weightsPath(json, dir), (p) => readFileSync(p));
  return { json, weightData: toArrayBuffer(bin) };
}

export async function readArtifact(dir: string): Promise<Artifact> {
  const json = parseModelJson(await readOrThrowAsync(dir, MODEL_FILE, (p) => readFile(p, 'utf8')), dir);
  const bin = await readOrThrowAsync(dir, weightsPath(json, dir), (p) => readFile(p));
  return { json, weightData: toArrayBuffer(bin) };
}

export function writeArtifact(dir: string, json: ModelJson, weightData: ArrayBuffer): void {
  mkdirSync(dir, { recursive: true });
  const out: ModelJson = { ...json, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specsOf(json) }] };
  atomicWrite(path.join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
  atomicWrite(path.join(dir, MODEL_FILE), JSON.stringify(out));
}

/** Splits weights.bin into named float32 arrays, checking the byte count. */
export function namedWeights(a: Artifact): NamedWeight[] {
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const spec of specsOf(a.json)) {
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) {
      throw new VigilError('E_MODEL_ARTIFACT', `weight ${spec.name}: only unquantised float32 is supported`);
    }
    const count = spec.shape.reduce((x, y) => x * y, 1);
    if (offset + 4 * count > a.weightData.byteLength) {
      throw new VigilError('E_MODEL_ARTIFACT', `${WEIGHTS_FILE} is shorter than its manifest`);
    }
    // Copy: the slice must be 4-byte aligned and independent of the file buffer.
    out.push({
      name: spec.name,
      shape: spec.shape,
      values: new Float32Array(a.weightData.slice(offset, offset + 4 * count)),
    });
    offset += 4 * count;
  }
  if (offset !== a.weightData.byteLength) {
    throw new VigilError('E_MODEL_ARTIFACT', `${WEIGHTS_FILE} is longer than its manifest`);
  }
  return out;
}

function specsOf(json: ModelJson): WeightSpec[] {
  return json.weightsManifest.flatMap((g) => g.weights);
}

function weightsPath(json: ModelJson, dir: string): string {
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  if (paths.length !== 1 || typeof paths[0] !== 'string') {
    throw new VigilError('E_MODEL_ARTIFACT', `${path.join(dir, MODEL_FILE)}: expected exactly one weights file`);
  }
  return paths[0];
}

function parseModelJson(text: string, dir: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new VigilError('E_MODEL_ARTIFACT', `${path.join(dir, MODEL_FILE)} is not JSON`, false, { cause: err });
  }
  const j = json as Partial<ModelJson> | null;
  if (!j || typeof j !== 'object' || !Array.isArray(j.weightsManifest) || j.modelTopology === undefined) {
    throw new VigilError('E_MODEL_ARTIFACT', `${path.join(dir, MODEL_FILE)} lacks modelTopology or weightsManifest`);
  }
  return j as ModelJson;
}

function readOrThrow<T>(dir: string, file: string, read: (p: string) => T): T {
  try {
    return read(path.join(dir, file));
  } catch (err) {
    throw new VigilError('E_MODEL_ARTIFACT', `cannot read ${path.join(dir, file)}`, false, { cause: err });
  }
}

async function readOrThrowAsync<T>(dir: string, file: string, read: (p: string) => Promise<T>): Promise<T> {
  try {
    return await read(path.join(dir, file));
  } catch (err) {
    throw new VigilError('E_MODEL_ARTIFACT', `cannot read ${path.join(dir, file)}`, false, { cause: err });
  }
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function atomicWrite(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
