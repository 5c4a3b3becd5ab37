/**
 * Robust EWMA of level and mean absolute deviation (Huber-clipped at K
 * scales so a spike moves the level by at most alpha*K*scale). First points
 * use alpha = 1/n so the baseline is usable after a handful of points.
 * O(1) per point; state [level, scale, n].
 */
const K = 3;

export class RobustLevel {
  constructor(
    public level: number,
    public scale: number,
    public n: number,
  ) {}

  static create(): RobustLevel {
    return new RobustLevel(0, 0, 0);
  }

  /** Scale floored so that a perfectly flat history still gives finite z. */
  sigma(): number {
    return Math.max(1.25 * this.scale, 1e-6 * (Math.abs(this.level) + 1e-3));
  }

  update(x: number, alpha: number, beta: number): void {
    this.n++;
    if (this.n === 1) {
      this.level = x;
      return;
    }
    const a = Math.max(alpha, 1 / this.n),
      b = Math.max(beta, 1 / this.n);
    const r = x - this.level;
    const lim = K * Math.max(this.scale, 1e-12);
    const rc = this.n <= 3 ? r : Math.max(-lim, Math.min(lim, r));
    this.level += a * rc;
    const ar = Math.abs(r);
    this.scale += b * ((this.n <= 3 ? ar : Math.min(ar, 2 * lim)) - this.scale);
  }

  snapshot(): number[] {
    return [this.level, this.scale, this.n];
  }

  static restore(s: readonly number[]): RobustLevel {
    return new RobustLevel(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0);
  }
}
