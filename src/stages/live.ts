/**
 * Detectors kept in this process between pull jobs. At one point a minute
 * a pull job scores one point per series, and reading, parsing and
 * restoring the detector's stored state (tens of KB of JSON) cost 10 to 60
 * times the scoring itself (0.33 ms against 5-30 us on a warmed detector).
 * A detector stays here, with the version of the row it was saved as
 * (store: loadDetectorIfChanged); the next job uses it only if the stored
 * row still has that version, so a series another process scored since is
 * read again, never guessed.
 *
 * A detector is taken out while a job scores it and put back only once its
 * job committed (stages/score.ts commitScored): a job that fails leaves no
 * detector here that is ahead of the store. Bounded by count, least
 * recently used out first (a detector is about 20 KB of heap).
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
}

export class LiveDetectors {
  readonly #entries = new Map<string, LiveDetector>();

  constructor(readonly capacity: number) {}

  /** Removes and returns the series' detector: while a job scores it, no one else may use it. */
  take(seriesKey: string): LiveDetector | undefined {
    const hit = this.#entries.get(seriesKey);
    if (hit) this.#entries.delete(seriesKey);
    return hit;
  }

  put(seriesKey: string, entry: LiveDetector): void {
    this.#entries.delete(seriesKey);
    if (this.capacity <= 0) return;
    this.#entries.set(seriesKey, entry);
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(k);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
