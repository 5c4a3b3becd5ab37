/**
 * Step test: "has the level just moved abruptly?", robust to the slow daily
 * ramps that make the EWMA-based shift and CUSUM tests routinely large.
 *
 * Statistic: the mean of the last K points minus the mean of the M points
 * before them, in units of the noise scale, each point's deviation from the
 * M points' median clipped at C scales. The noise scale comes from first
 * differences (stats/noise.ts): a smooth daily ramp, which moves the level a
 * lot over hours but little from one window to the next, inflates neither
 * the scale nor the statistic, while an abrupt
 * step drives the two windows apart within K points. The clip keeps a
 * one-point spike mostly out of it (at most C / K scales; the spike test's
 * business), bounds what a burst of a few points can do, and, unlike a
 * median, moves smoothly on coarsely quantised values.
 *
 * A change-point state that froze the pre-step reference, so the score would
 * stay up for as long as the level stays away, was tried and measured: it
 * lost scenario recall and precision (docs/benchmarks.md), so the statistic
 * fades as its windows slide past a step; an open incident's own evidence
 * test (src/incidents/evidence.ts) says whether the series is still away.
 *
 * O(M log M) per point (M small); state K + M + 5 numbers.
 */
import { bad, nums, obj } from '../state.js';
import { DiffNoise } from './noise.js';

const K = 5;
const M = 15;
/** clip of a point's deviation from the reference median, in noise scales */
const C = 8;

export class StepTest {
  private readonly tmp = new Float64Array(M);
  /** scratch for the recent window's deviations, so clippedMean sorts exactly its K values with no view per call */
  private readonly tmpK = new Float64Array(K);

  constructor(
    /** ring buffer of the last K + M values, oldest first from `pos` */
    private readonly buf: Float64Array,
    /** values in the buffer (up to K + M) */
    private fill: number,
    private pos: number,
    private readonly noise: DiffNoise,
  ) {}

  static create(): StepTest {
    return new StepTest(new Float64Array(K + M), 0, 0, DiffNoise.create());
  }

  private at(i: number): number {
    return this.buf[(this.pos + i) % (K + M)]!;
  }

  /** median of the M points before the recent K (the buffer is full) */
  private centre(): number {
    const a = this.tmp;
    for (let i = 0; i < M; i++) a[i] = this.at(i);
    a.sort();
    return a[M >> 1]!;
  }

  /**
   * Mean deviation from `c` of the buffer's points [from, from + n), n = r.length (`r` is scratch), each
   * clipped at C noise scales, or at the median deviation of the n points when that is larger (up to 2C):
   * a deviation most of them share is a level, not an outlier. Clipped at C alone, every step beyond C
   * scales measured C, however large, and the calibrator could not rank a new large step above the last
   * one; one or two outliers among the n are still clipped at C.
   */
  private clippedMean(from: number, r: Float64Array, c: number, sd: number): number {
    const n = r.length;
    for (let i = 0; i < n; i++) r[i] = Math.abs(this.at(from + i) - c);
    const shared = r.sort()[n >> 1]!;
    const lim = Math.min(Math.max(C * sd, shared), 2 * C * sd);
    let s = 0;
    for (let i = from; i < from + n; i++) {
      const d = this.at(i) - c;
      s += d > lim ? lim : d < -lim ? -lim : d;
    }
    return s / n;
  }

  /** Adds x and returns the signed statistic (recent - reference) / scale; 0 until K + M points have been seen. */
  update(x: number): number {
    this.noise.update(x);
    this.buf[this.pos] = x;
    this.pos = (this.pos + 1) % (K + M);
    if (this.fill < K + M) this.fill++;
    if (this.fill < K + M) return 0;
    const sd = this.noise.sigma(),
      c = this.centre();
    return (this.clippedMean(M, this.tmpK, c, sd) - this.clippedMean(0, this.tmp, c, sd)) / sd;
  }

  /**
   * The values change meaning (daily seasonality switched on, so they are now
   * deseasonalised): start the windows afresh; the noise scale, a property of
   * point-to-point noise, carries over.
   */
  restart(): void {
    this.fill = 0;
  }

  snapshot(): unknown {
    return {
      b: Array.from({ length: K + M }, (_, i) => this.at(i)),
      s: [this.noise.n, this.fill, this.noise.dabs, this.noise.prev],
    };
  }

  static restore(st: unknown): StepTest {
    const o = obj(st, 'step');
    const b = nums(o, 'b', K + M);
    const [n, fill, dabs, prev] = nums(o, 's', 4) as [number, number, number, number];
    if (n < 0 || fill < 0 || fill > K + M || dabs < 0) bad('step state');
    return new StepTest(Float64Array.from(b), fill, 0, new DiffNoise(n, dabs, prev));
  }
}
