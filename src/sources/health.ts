/**
 * Per-source health as seen by one process: an outage is reported once when
 * it starts and once when it ends, not on every failed pull, and the
 * scheduler backs off a failing source without delaying the others.
 */
export interface HealthChange {
  readonly kind: 'down' | 'recovered';
  readonly sourceId: string;
  readonly failures: number;
  readonly since: number;
}

export class SourceHealth {
  private readonly failing = new Map<string, { failures: number; since: number }>();

  /** Returns a change to report, or null when the state did not change. */
  failed(sourceId: string, now: number): HealthChange | null {
    const s = this.failing.get(sourceId);
    if (s) {
      s.failures++;
      return null;
    }
    this.failing.set(sourceId, { failures: 1, since: now });
    return { kind: 'down', sourceId, failures: 1, since: now };
  }

  succeeded(sourceId: string): HealthChange | null {
    const s = this.failing.get(sourceId);
    if (!s) return null;
    this.failing.delete(sourceId);
    return { kind: 'recovered', sourceId, failures: s.failures, since: s.since };
  }

  /** Consecutive failures so far (0 when healthy). */
  failures(sourceId: string): number {
    return this.failing.get(sourceId)?.failures ?? 0;
  }

  /** Delay before the next attempt: the interval, doubled per failure, capped. */
  nextDelay(sourceId: string, intervalMs: number, capMs = 15 * 60_000): number {
    const n = this.failures(sourceId);
    return n === 0 ? intervalMs : Math.min(capMs, intervalMs * 2 ** Math.min(n, 16));
  }
}
