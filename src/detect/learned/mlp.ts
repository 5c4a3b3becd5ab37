/**
 * The forecaster's forward pass in plain TypeScript. TensorFlow.js trains
 * the network; scoring uses this instead because one predict() per point
 * costs ~100 µs of tensor overhead, against ~2 µs here.
 *
 * Network (see bench/train/network.ts, which must stay in step with this file):
 *   h_1 = relu(x W_1 + b_1), ..., h_k = relu(h_{k-1} W_k + b_k)
 *   out = h_k W_head + b_head + x W_skip + b_skip          (2 outputs)
 * out[0] is the forecast of the next squashed value, out[1] its raw
 * log-scale. Kernels arrive row-major [in, out], as TensorFlow.js stores them.
 */
import { VigilError } from '../../domain/index.js';

export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * Weights widened to float64 (exactly) so every hot loop sees one array type
 * (V8 keeps it monomorphic), kernels transposed to [out][in] so each output
 * is a dot product accumulated in registers.
 */
interface Dense {
  readonly nIn: number;
  readonly nOut: number;
  readonly kernel: Float64Array;
  readonly bias: Float64Array;
}

export class Mlp {
  readonly inputSize: number;
  private readonly scratch: Float64Array[];
  private readonly input: Float64Array;
  private readonly o = new Float64Array(2);

  private constructor(
    private readonly hidden: readonly Dense[],
    private readonly head: Dense,
    private readonly skip: Dense,
  ) {
    this.inputSize = skip.nIn;
    this.scratch = hidden.map((d) => new Float64Array(d.nOut));
    this.input = new Float64Array(skip.nIn);
  }

  /** Builds from weights named `<layer>/kernel`, `<layer>/bias` for h1..hk, head, skip. */
  static fromWeights(weights: readonly NamedWeight[]): Mlp {
    const byName = new Map(weights.map((w) => [w.name, w]));
    const dense = (layer: string): Dense | null => {
      const k = byName.get(`${layer}/kernel`);
      const b = byName.get(`${layer}/bias`);
      if (!k || !b) return null;
      const [nIn, nOut] = k.shape;
      if (k.shape.length !== 2 || nIn === undefined || nOut === undefined || b.values.length !== nOut) {
        throw new VigilError('E_MODEL_ARTIFACT', `layer ${layer}: unexpected weight shapes`);
      }
      return { nIn, nOut, kernel: transpose(k.values, nIn, nOut), bias: Float64Array.from(b.values) };
    };
    const hidden: Dense[] = [];
    for (let i = 1; ; i++) {
      const d = dense(`h${i}`);
      if (!d) break;
      hidden.push(d);
    }
    const head = dense('head');
    const skip = dense('skip');
    if (!head || !skip || hidden.length === 0) {
      throw new VigilError('E_MODEL_ARTIFACT', 'model weights lack h1, head or skip layers');
    }
    let width = skip.nIn;
    for (const d of hidden) {
      if (d.nIn !== width) throw new VigilError('E_MODEL_ARTIFACT', 'hidden layer widths do not chain');
      width = d.nOut;
    }
    if (head.nIn !== width || head.nOut !== 2 || skip.nOut !== 2 || hidden[0]?.nIn !== skip.nIn) {
      throw new VigilError('E_MODEL_ARTIFACT', 'head/skip shapes do not match the network');
    }
    return new Mlp(hidden, head, skip);
  }

  /** Forward pass for one input of length inputSize; writes [location, rawLogScale] into out. */
  forward(x: ArrayLike<number>, out: Float64Array): Float64Array {
    const x64 = this.input;
    for (let i = 0; i < x64.length; i++) x64[i] = x[i] as number;
    let input = x64;
    for (let l = 0; l < this.hidden.length; l++) {
      const d = this.hidden[l] as Dense;
      const h = this.scratch[l] as Float64Array;
      affine(d, input, h);
      for (let j = 0; j < h.length; j++) if ((h[j] as number) < 0) h[j] = 0;
      input = h;
    }
    const o = this.o;
    affine(this.head, input, o);
    const a = o[0] as number;
    const b = o[1] as number;
    affine(this.skip, x64, o);
    out[0] = a + (o[0] as number);
    out[1] = b + (o[1] as number);
    return out;
  }
}

/** y = W x + b with W stored [out][in]: register accumulators per output, 4-way unrolled. */
function affine(d: Dense, x: Float64Array, y: Float64Array): void {
  const { nIn, nOut, kernel, bias } = d;
  const n4 = nIn - (nIn % 4);
  for (let j = 0; j < nOut; j++) {
    const row = j * nIn;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (; i < n4; i += 4) {
      a0 += (kernel[row + i] as number) * (x[i] as number);
      a1 += (kernel[row + i + 1] as number) * (x[i + 1] as number);
      a2 += (kernel[row + i + 2] as number) * (x[i + 2] as number);
      a3 += (kernel[row + i + 3] as number) * (x[i + 3] as number);
    }
    for (; i < nIn; i++) a0 += (kernel[row + i] as number) * (x[i] as number);
    y[j] = (bias[j] as number) + (a0 + a1) + (a2 + a3);
  }
}

function transpose(k: Float32Array, nIn: number, nOut: number): Float64Array {
  const t = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) t[j * nIn + i] = k[i * nOut + j] as number;
  return t;
}
