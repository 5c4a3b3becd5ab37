/**
 * Trend test: "has the series risen (or fallen) over the last W points by
 * more than its noise explains?", the state a slow leak is in long before
 * any single point looks unusual, and for as long as it keeps growing.
 *
 * Statistic: the median of the H = W / 2 differences x[i + H] - x[i] over
 * the window (each point paired with the one H later: a robust estimate of
 * the rise over H points, like a Theil-Sen slope at one lag), in units of
 * the point-to-point noise scale (stats/noise.ts, from first differences,
 * so the ramp being tested does not inflate it). A spike or a short burst
 * moves at most a few of the H differences, and the median ignores them.
 * How large is large on this series (daily ramps, metrics that wander) is
 * its calibrator's business, as for every other model.
 *
 * One-sided: a resource that fills by rising (use) is tested for a rise,
 * one that fills by falling (free space) for a fall; release is not a leak.
 *
 * O(H log H) per point (H small); state W + 5 numbers.
 */
import { bad, nums, obj } from '../state.js';
import { DiffNoise } from './noise.js';

/** points per half window */
export const TREND_LAG = 15;

export class TrendTest {
  private readonly tmp: Float64Array;

  constructor(
    /** ring buffer of the last 2H values, oldest at `pos` once full */
    private readonly buf: Float64Array,
    private fill: number,
    private pos: number,
    private readonly noise: DiffNoise,
    /** the direction in which the resource fills (domain/direction fillDirection): 1 up, -1 down */
    readonly sign: 1 | -1 = 1,
  ) {
    this.tmp = new Float64Array(buf.length >> 1);
  }

  static create(sign: 1 | -1 = 1, lag = TREND_LAG): TrendTest {
    return new TrendTest(new Float64Array(2 * lag), 0, 0, DiffNoise.create(), sign);
  }

  private at(i: number): number {
    return this.buf[(this.pos + i) % this.buf.length]!;
  }

  /**
   * Adds x and returns how far the series moved over H points in the
   * direction it fills, in noise scales (negative: it moved the other way,
   * which is release or a restart, not a leak); 0 until the window is full.
   */
  update(x: number): number {
    this.noise.update(x);
    const w = this.buf.length,
      h = w >> 1;
    this.buf[this.pos] = x;
    this.pos = (this.pos + 1) % w;
    if (this.fill < w) this.fill++;
    if (this.fill < w) return 0;
    const d = this.tmp;
    for (let i = 0; i < h; i++) d[i] = this.at(i + h) - this.at(i);
    d.sort();
    const med = h % 2 === 1 ? d[h >> 1]! : (d[h / 2 - 1]! + d[h / 2]!) / 2;
    return (this.sign * med) / this.noise.sigma();
  }

  /**
   * Where the series was before the rise being tested: the median of the
   * window's older half. The expected value of a trend, so the deviation
   * reported (and judged for persistence) is the rise, not the small lag of
   * a level that follows the ramp. NaN until the window is full.
   */
  reference(): number {
    const w = this.buf.length,
      h = w >> 1;
    if (this.fill < w) return NaN;
    const d = this.tmp;
    for (let i = 0; i < h; i++) d[i] = this.at(i);
    d.sort();
    return h % 2 === 1 ? d[h >> 1]! : (d[h / 2 - 1]! + d[h / 2]!) / 2;
  }

  /** Rise per point of the last update's window (for explanations): the statistic times the noise scale over H. */
  slopePerPoint(stat: number): number {
    return (this.sign * stat * this.noise.sigma()) / (this.buf.length >> 1);
  }

  /** The values change meaning (daily seasonality switched on): start the window afresh; the noise scale carries over. */
  restart(): void {
    this.fill = 0;
    this.pos = 0;
  }

  snapshot(): unknown {
    const w = this.buf.length;
    return {
      b: Array.from({ length: this.fill }, (_, i) => this.buf[(this.fill === w ? this.pos + i : i) % w]!),
      w: [w],
      s: [this.noise.n, this.noise.dabs, this.noise.prev],
      d: [this.sign],
    };
  }

  static restore(st: unknown): TrendTest {
    const o = obj(st, 'trend');
    const [w] = nums(o, 'w', 1) as [number];
    if (!Number.isInteger(w) || w < 2 || w % 2 !== 0 || w > 2000) bad('trend window');
    const b = nums(o, 'b');
    if (b.length > w) bad('trend buffer longer than its window');
    const [n, dabs, prev] = nums(o, 's', 3) as [number, number, number];
    if (n < 0 || dabs < 0) bad('trend noise');
    const [d] = nums(o, 'd', 1);
    if (d !== 1 && d !== -1) bad('trend direction');
    const buf = new Float64Array(w);
    buf.set(b);
    return new TrendTest(buf, b.length, b.length % w, new DiffNoise(n, dabs, prev), d);
  }
}
