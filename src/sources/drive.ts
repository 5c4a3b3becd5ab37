/**
 * Drives sources through the pipeline on a virtual clock, faster than real
 * time: the demo and backtests. Each tick enqueues one pull job per query for
 * [t, t + tick) and waits until the queue is idle (all processes), so a
 * query's ranges are scored in order even when several workers share them.
 * `speed` (simulated ms per wall ms) paces the clock; omit it to run flat out.
 */
import type { Queue } from '../queue/types.js';
import { pullJobId } from './scheduler.js';
import type { MetricSource } from './types.js';

export interface DriveOptions {
  readonly sources: readonly MetricSource[];
  readonly queue: Queue;
  readonly from: number;
  readonly to: number;
  readonly tickMs: number;
  readonly speed?: number;
  /** Backfill: train detectors and store anomalies, but open no incident. */
  readonly warmup?: boolean;
  /** Called before each tick's jobs are queued (record change events, show progress). */
  readonly beforeTick?: (from: number, to: number) => Promise<void> | void;
  readonly afterTick?: (to: number) => Promise<void> | void;
  readonly signal?: AbortSignal;
}

export async function driveVirtualTime(o: DriveOptions): Promise<void> {
  const queries = (await Promise.all(o.sources.map((s) => s.queries()))).flat();
  const wallStart = Date.now();
  for (let t = o.from; t < o.to; t += o.tickMs) {
    if (o.signal?.aborted) return;
    const end = Math.min(t + o.tickMs, o.to);
    await o.beforeTick?.(t, end);
    for (const query of queries) {
      await o.queue.enqueue(
        'pull',
        { query, range: { from: t, to: end }, ...(o.warmup ? { warmup: true } : {}) },
        { jobId: `${pullJobId(query)}_${t}` },
      );
    }
    await o.queue.whenIdle();
    await o.afterTick?.(end);
    if (o.speed !== undefined) {
      const due = wallStart + (end - o.from) / o.speed;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
}
