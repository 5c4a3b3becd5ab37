/**
 * How far the data of each series is known: the data time up to which its
 * points are scored and its anomalies stored. In memory, per process; no I/O.
 *
 * Why: the series of one service are pulled by separate jobs that run
 * concurrently, so while one job's batch goes through the lifecycle another
 * series of the same service may not be fetched or scored yet for the same
 * minutes. A decision taken then ("quiet for 15 min, resolve", "these
 * anomalies confirm") would read that series' missing data as "no deviation",
 * and its outcome would depend on which job happened to run first. The
 * lifecycle therefore decides only up to the time every series involved is
 * known through (`through`), over the anomalies stored up to then, so the
 * same data gives the same incidents in any job order.
 *
 * A series that has reported nothing for `stale` before the batch's range
 * (stopped, or its source is down) holds nothing up: it is left out. Series
 * this process has not scored are unknown here and hold nothing up either
 * (another process's jobs: the known limit in docs/architecture.md).
 */
export class Horizon {
  /** service -> series key -> data time scored through. */
  private readonly services = new Map<string, Map<string, number>>();
  private readonly advanced = new Map<string, number>();

  /** Records that `seriesKey` (of `service`) is scored, its anomalies stored, through data time `t`. */
  scored(seriesKey: string, service: string, t: number): void {
    let series = this.services.get(service);
    if (!series) this.services.set(service, (series = new Map()));
    if (t > (series.get(seriesKey) ?? -Infinity)) series.set(seriesKey, t);
  }

  /**
   * The data time up to which every known series of `services` is scored,
   * leaving out series known only up to before `freshSince`; null when no
   * such series is known.
   */
  through(services: readonly string[], freshSince: number): number | null {
    let min: number | null = null;
    for (const service of new Set(services))
      for (const t of this.services.get(service)?.values() ?? [])
        if (t >= freshSince && (min === null || t < min)) min = t;
    return min;
  }

  /** The data time up to which incident key `key`'s lifecycle has run, if it has in this process. */
  doneThrough(key: string): number | undefined {
    return this.advanced.get(key);
  }

  /** Records that incident key `key`'s lifecycle has run up to data time `t`. */
  advance(key: string, t: number): void {
    if (t > (this.advanced.get(key) ?? -Infinity)) this.advanced.set(key, t);
  }
}
