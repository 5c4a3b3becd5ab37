/**
 * The BullMQ workers of one process for the lanes it takes (../lanes.ts):
 * `assign` opens a worker per lane newly taken and closes the workers of
 * lanes given up. Closing lets a running job finish first, so a lane moves
 * between two jobs, never in the middle of one. All lanes share one limit
 * of jobs at once (`worker.concurrency` means the process, not each lane).
 */
import type { Worker } from 'bullmq';

export class LaneWorkers {
  private readonly running = new Map<number, Worker>();
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly open: (lane: number) => Worker) {}

  /** Consume exactly `lanes` from now on. */
  assign(lanes: readonly number[]): void {
    if (this.closed) return;
    const want = new Set(lanes);
    for (const [lane, worker] of this.running) {
      if (want.has(lane)) continue;
      this.running.delete(lane);
      this.release(worker);
    }
    for (const lane of want) if (!this.running.has(lane)) this.running.set(lane, this.open(lane));
  }

  /** The lanes consumed now, in order. */
  owned(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /** Closes every lane's worker, letting running jobs finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const worker of this.running.values()) this.release(worker);
    this.running.clear();
    await Promise.all([...this.closing]);
  }

  private release(worker: Worker): void {
    const p: Promise<void> = worker.close().then(
      () => void this.closing.delete(p),
      () => void this.closing.delete(p),
    );
    this.closing.add(p);
  }
}

/** At most `n` calls of the returned function run at once; the others wait their turn, first come first served. */
export function sharedLimit(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
