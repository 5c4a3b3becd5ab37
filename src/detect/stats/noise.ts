/**
 * Point-to-point noise scale: sigma = E|x_t - x_{t-1}| * sqrt(pi)/2 (exact
 * for Gaussian noise), from an EWMA of Huber-clipped first differences, so
 * one outlier or one step barely moves it, and a slow ramp, which moves the
 * level a lot but each point little, does not inflate it. O(1); state
 * [n, mean |difference|, previous value].
 */
const D_CLIP = 4;
const B_NOISE = 0.01;
const SQRT_PI_2 = Math.sqrt(Math.PI) / 2;

export class DiffNoise {
  constructor(
    public n: number,
    public dabs: number,
    public prev: number,
  ) {}

  static create(): DiffNoise {
    return new DiffNoise(0, 0, 0);
  }

  update(x: number): void {
    if (this.n > 0) {
      const d = Math.abs(x - this.prev);
      const lim = D_CLIP * Math.max(this.dabs, 1e-12);
      const b = Math.max(B_NOISE, 1 / this.n);
      this.dabs += b * ((this.n <= 3 ? d : Math.min(d, lim)) - this.dabs);
    }
    this.prev = x;
    this.n++;
  }

  sigma(): number {
    return Math.max(this.dabs * SQRT_PI_2, 1e-9 * (Math.abs(this.prev) + 1e-3));
  }
}
