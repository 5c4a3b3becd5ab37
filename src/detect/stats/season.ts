/**
 * Daily seasonality, found online and used only where present.
 * - Detection: values are averaged into hourly buckets (time-based, so any
 *   sampling interval or irregular spacing works; a gap repeats the last
 *   bucket). Once a day, the autocorrelation at lag 24h of the detrended
 *   bucket series (minus a trailing 24h mean) over the last 7 days decides:
 *   on above ON, at least 3 days needed. Once on, it stays on: the profile
 *   keeps adapting (below), so a pattern that fades fades from the profile
 *   too, while each switch re-bases every model downstream (the ensemble
 *   recalibrates them) and a weekly rhythm or a noisy week would flip a
 *   threshold back and forth (Twitter volumes: 2-6 switches in 8 weeks).
 * - Profile: an additive Holt-Winters style offset per 5-minute phase of
 *   the day (288 bins, EWMA, alpha >= 1/count), learned against the slow
 *   level of the deseasonalised series. Series sampled coarser than 5 min
 *   fill a subset of bins; lookups fall back to the nearest earlier bin.
 * O(1) per point, O(168) once per day. State ~ 168 + 2*288 numbers.
 */
import { bad, nums, obj } from '../state.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const H = 168;
const NB = 288;
const BIN_MS = DAY / NB;
const ON = 0.4;
const ALPHA = 0.1;

export class Season {
  constructor(
    private readonly buf: number[],
    private hour: number,
    private sum: number,
    private cnt: number,
    private pushed: number,
    public active: number,
    private readonly prof: number[],
    private readonly pc: number[],
    /** time of the last point learned (NaN: unknown, e.g. restored from a state without it) */
    private last = NaN,
  ) {}

  static create(): Season {
    return new Season([], -1, 0, 0, 0, 0, new Array<number>(NB).fill(0), new Array<number>(NB).fill(0));
  }

  private static bin(t: number): number {
    return Math.floor((((t % DAY) + DAY) % DAY) / BIN_MS);
  }

  /** Seasonal offset expected at time t (0 until seasonality is on). */
  offset(t: number): number {
    if (!this.active) return 0;
    let b = Season.bin(t);
    for (let i = 0; i < 24 && this.pc[b] === 0; i++) b = (b + NB - 1) % NB;
    return this.prof[b] ?? 0;
  }

  /** Learn from raw value v at t given the slow level of the deseasonalised series. */
  update(t: number, v: number, slowLevel: number): void {
    const b = Season.bin(t);
    const c = (this.pc[b] ?? 0) + 1;
    this.pc[b] = Math.min(c, 1000);
    // ALPHA is the profile's learning rate per day: each point moves its bin by its share of the bin's
    // span (the time since the last point), so a day of one-minute data teaches a bin as much as a day
    // of five-minute data, not five times as much (which let one abnormal day pull the profile 41% of
    // the way, and a step absorbed itself within the bin while it happened).
    const share = this.last < t ? Math.min(1, (t - this.last) / BIN_MS) : 1;
    this.last = t;
    const a = Math.max(ALPHA * share, 1 / c);
    this.prof[b] = (this.prof[b] ?? 0) + a * (v - slowLevel - (this.prof[b] ?? 0));
    const h = Math.floor(t / HOUR);
    if (this.hour < 0) this.hour = h;
    if (h > this.hour) {
      const mean = this.cnt > 0 ? this.sum / this.cnt : (this.buf[this.buf.length - 1] ?? v);
      const n = Math.min(h - this.hour, H);
      for (let i = 0; i < n; i++) this.push(mean);
      this.hour = h;
      this.sum = 0;
      this.cnt = 0;
    }
    if (h === this.hour) {
      this.sum += v;
      this.cnt++;
    }
  }

  private push(x: number): void {
    this.buf.push(x);
    if (this.buf.length > H) this.buf.shift();
    this.pushed++;
    if (this.pushed % 24 === 0 && this.buf.length >= 72) this.decide();
  }

  private decide(): void {
    const b = this.buf,
      n = b.length;
    const d: number[] = [];
    let run = 0;
    for (let i = 0; i < n; i++) {
      run += b[i] ?? 0;
      if (i >= 24) run -= b[i - 24] ?? 0;
      if (i >= 23) d.push((b[i] ?? 0) - run / 24);
    }
    let mean = 0;
    for (const x of d) mean += x;
    mean /= d.length;
    let den = 0,
      numr = 0;
    for (let i = 0; i < d.length; i++) {
      const x = (d[i] ?? 0) - mean;
      den += x * x;
      if (i >= 24) numr += x * ((d[i - 24] ?? 0) - mean);
    }
    const acf = den > 0 ? numr / den : 0;
    if (acf > ON) this.active = 1;
  }

  snapshot(): unknown {
    return {
      b: [...this.buf],
      s: [this.hour, this.sum, this.cnt, this.pushed, this.active, ...(Number.isNaN(this.last) ? [] : [this.last])],
      p: [...this.prof],
      c: [...this.pc],
    };
  }

  static restore(st: unknown): Season {
    const o = obj(st, 'season');
    // Six numbers; five before the first point, or in a state of an earlier version (no time of the last point).
    const s = nums(o, 's');
    if (s.length !== 5 && s.length !== 6) bad('season state');
    const b = nums(o, 'b');
    return new Season(
      [...b].slice(-H),
      s[0] ?? -1,
      s[1] ?? 0,
      s[2] ?? 0,
      s[3] ?? 0,
      s[4] ?? 0,
      [...nums(o, 'p', NB)],
      [...nums(o, 'c', NB)],
      s[5] ?? NaN,
    );
  }
}
