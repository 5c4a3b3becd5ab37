/**
 * Throughput benchmark: `series` synthetic series of `points` points each,
 * fed time step by time step (every series gets point i before any gets
 * i+1, as a scheduler would) on the main thread. Only update() calls are
 * timed; values are generated in blocks outside the timed sections.
 * Memory is sampled after each block (peak RSS, peak heap used); state size
 * is the UTF-8 byte length of JSON.stringify(snapshot()) after the run.
 *
 * Effects: CPU and memory only. Failure modes: VigilError E_BENCH_ARGS on
 * non-positive sizes; a detector's own error propagates.
 */
import { performance } from 'node:perf_hooks';
import { VigilError, seriesKey, type SeriesRef } from '../domain/index.js';
import type { Detector, DetectorFactory } from '../detect/types.js';
import { syntheticSeries } from './synthetic.js';

export interface ThroughputOptions {
  readonly factory: DetectorFactory;
  readonly series: number;
  /** points per series */
  readonly points: number;
  readonly seed: number;
  /** start time of the synthetic series, epoch ms; one point a minute */
  readonly start?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ThroughputResult {
  readonly detector: string;
  readonly series: number;
  readonly points: number;
  readonly updates: number;
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly stateBytesPerSeries: { readonly mean: number; readonly max: number };
}

const STEP_MS = 60_000;
const BLOCK_VALUES = 1 << 16;

function syntheticRef(i: number): SeriesRef {
  const labels = { series: String(i) };
  return {
    key: seriesKey('synthetic', 'bench', labels),
    source: 'synthetic',
    metric: 'bench',
    service: `svc-${i % 16}`,
    labels,
  };
}

export function runThroughput(opts: ThroughputOptions): ThroughputResult {
  const { factory, series: n, points: m } = opts;
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(m) && m > 0)) {
    throw new VigilError('E_BENCH_ARGS', `series and points must be positive integers (got ${n}, ${m})`);
  }
  const start = opts.start ?? Date.UTC(2024, 0, 1);
  const gens = Array.from({ length: n }, (_, i) => syntheticSeries(opts.seed, i));
  const detectors: Detector[] = Array.from({ length: n }, (_, i) => factory.create(syntheticRef(i)));
  const block = Math.max(1, Math.floor(BLOCK_VALUES / n));
  const values = new Float64Array(block * n);
  let rss = process.memoryUsage.rss();
  let heap = process.memoryUsage().heapUsed;
  let elapsed = 0;
  for (let from = 0; from < m; from += block) {
    const steps = Math.min(block, m - from);
    for (let s = 0; s < steps; s++)
      for (let k = 0; k < n; k++) values[s * n + k] = (gens[k] as { next(): number }).next();
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const t = start + (from + s) * STEP_MS;
      for (let k = 0; k < n; k++) (detectors[k] as Detector).update({ t, v: values[s * n + k] as number });
    }
    elapsed += performance.now() - t0;
    rss = Math.max(rss, process.memoryUsage.rss());
    heap = Math.max(heap, process.memoryUsage().heapUsed);
    opts.onProgress?.((from + steps) * n, m * n);
  }
  const sizes = detectors.map((d) => Buffer.byteLength(JSON.stringify(d.snapshot()) ?? '', 'utf8'));
  const seconds = elapsed / 1000;
  return {
    detector: factory.name,
    series: n,
    points: m,
    updates: n * m,
    seconds,
    pointsPerSecond: (n * m) / Math.max(seconds, 1e-9),
    peakRssBytes: rss,
    peakHeapUsedBytes: heap,
    stateBytesPerSeries: { mean: sizes.reduce((a, b) => a + b, 0) / n, max: sizes.reduce((a, b) => Math.max(a, b), 0) },
  };
}
