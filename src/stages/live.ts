/**
 * Detectors kept in this process between pull jobs. At one point a minute
 * a pull job scores one point per series, and reading, parsing and
 * restoring the detector's stored state (tens of KB of JSON) cost 10 to 60
 * times the scoring itself (0.33 ms against 5-30 us on a warmed detector).
 * A detector stays here, with the version of the row it was saved as
 * (store: loadDetectorIfChanged); the next job uses it as it is only if
 * the stored row still has that version. A series another process scored
 * since is caught up when the row is still on this detector's line (its
 * checkpoint, or one checkpoint further): the inputs this detector was not
 * fed yet are replayed on it, and the 22 KB checkpoint is not read.
 * Otherwise it is read again, never guessed.
 *
 * A detector is taken out while a job scores it and put back only once its
 * job committed (stages/score.ts commitScored): a job that fails leaves no
 * detector here that is ahead of the store.
 *
 * Bounded by count (a warmed detector is about 18 KB of heap). When full, a
 * new series gets a place only if the least recently used detector has been
 * idle for `idleMs` (its series gone, or scored by another process now);
 * otherwise it is not kept. Every series comes round once a pull, so with
 * more series than places plain LRU would evict each detector just before
 * its next use and never hit; this keeps a fixed share of them instead
 * (capacity / series of the hits a larger capacity would give).
 */
import type { Detector } from '../detect/types.js';
import type { FedInput } from '../store/types.js';

export interface LiveDetector {
  readonly detector: Detector;
  /** The stored row's version this detector equals. */
  readonly version: string;
  readonly lastT: number;
  /** The inputs fed since the stored checkpoint (what the row's `fed` holds). */
  readonly fed: readonly FedInput[];
  /** That checkpoint's id (null: none), the line another process's saves are matched against. */
  readonly ckpt: string | null;
}

/** Heap a warmed default detector takes, measured (docs/benchmarks.md): about 18 KB. */
export const LIVE_DETECTOR_BYTES = 18 * 1024;

/**
 * The `auto` capacity: detectors that fill half of the heap limit, the
 * other half left to jobs' batches and everything else.
 */
export function autoCapacity(heapLimitBytes: number): number {
  return Math.max(0, Math.floor(heapLimitBytes / 2 / LIVE_DETECTOR_BYTES));
}

/** How long a detector unused stays ahead of a new series for its place. */
export const LIVE_IDLE_MS = 10 * 60_000;

export class LiveDetectors {
  /** Least recently put first, each with when. */
  readonly #entries = new Map<string, { entry: LiveDetector; at: number }>();

  constructor(
    readonly capacity: number,
    readonly idleMs = LIVE_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Removes and returns the series' detector: while a job scores it, no one else may use it. */
  take(seriesKey: string): LiveDetector | undefined {
    const hit = this.#entries.get(seriesKey);
    if (hit) this.#entries.delete(seriesKey);
    return hit?.entry;
  }

  /** Keeps the series' detector, if it has a place (see above). */
  put(seriesKey: string, entry: LiveDetector): void {
    this.#entries.delete(seriesKey);
    if (this.capacity <= 0) return;
    const at = this.now();
    if (this.#entries.size >= this.capacity) {
      const [oldest, held] = this.#entries.entries().next().value!;
      if (at - held.at < this.idleMs) return;
      this.#entries.delete(oldest);
    }
    this.#entries.set(seriesKey, { entry, at });
  }

  get size(): number {
    return this.#entries.size;
  }
}
