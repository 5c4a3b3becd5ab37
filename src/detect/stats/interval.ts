/**
 * Sampling interval from timestamps: a frugal streaming median of positive
 * gaps in log space (steps of 2%, 10% while warming up). Duplicate or
 * backward timestamps are ignored. O(1); state [lastT, est, n].
 */
export class IntervalTracker {
  constructor(
    public lastT: number,
    public est: number,
    public n: number,
  ) {}

  static create(): IntervalTracker {
    return new IntervalTracker(0, 0, 0);
  }

  update(t: number): void {
    if (this.n > 0) {
      const dt = t - this.lastT;
      if (dt > 0) {
        if (this.est === 0) this.est = dt;
        else {
          const step = this.n < 30 ? 1.1 : 1.02;
          if (dt > this.est) this.est = Math.min(dt, this.est * step);
          else if (dt < this.est) this.est = Math.max(dt, this.est / step);
        }
      }
    }
    if (this.n === 0 || t > this.lastT) this.lastT = t;
    this.n++;
  }

  snapshot(): number[] {
    return [this.lastT, this.est, this.n];
  }

  static restore(s: readonly number[]): IntervalTracker {
    return new IntervalTracker(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0);
  }
}
