/**
 * Picks the TensorFlow.js backend for training, once per process:
 * tfjs-node (native, an optional dependency that often cannot install) if
 * present, else WebAssembly, else the pure-JS cpu backend.
 *
 * Effects: loads TensorFlow.js modules and sets the global tf backend.
 * Failure modes: none thrown for a missing tfjs-node (a debug note only);
 * throws only if even the cpu backend cannot start.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | null = null;

export function initBackend(debug: (msg: string) => void = () => {}): Promise<BackendName> {
  chosen ??= pick(debug);
  return chosen;
}

async function pick(debug: (msg: string) => void): Promise<BackendName> {
  // A variable specifier keeps TypeScript from demanding the optional package's types.
  const nodeBinding = '@tensorflow/tfjs-node';
  try {
    await import(nodeBinding);
    if (await tf.setBackend('tensorflow')) return 'tensorflow';
  } catch (err) {
    debug(`tfjs-node unavailable (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); trying wasm`);
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm binaries sit next to the package's main file.
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.dirname(main) + path.sep);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch (err) {
    debug(`wasm backend failed (${err instanceof Error ? err.message : String(err)}); using cpu`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
