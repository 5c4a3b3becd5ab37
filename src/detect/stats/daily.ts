/**
 * Daily recurrence of spikes: a scheduled job (a nightly backup, a cron
 * batch) makes the same spike at about the same time every day, which the
 * spike test calls rare (it is: one point a day) but nobody wants paged.
 * Per UTC hour of day, the largest signed spike statistic z (the spike test's
 * |x - level| / sigma, + for spikes, - for dips) is kept for each of the
 * last DAYS days and today. A spike is recurring when, on each of the DAYS
 * previous days, a spike of the same sign and at least 1/SIZE of its size
 * happened within an hour of the same time of day:
 * - DAYS = 2: one earlier spike at that time is a coincidence; the same
 *   time on two consecutive days is a schedule;
 * - +-1 hour (this bin and its neighbours): jobs start with jitter (queues,
 *   run time), and a spike near a bin edge must still meet yesterday's;
 * - SIZE = 2: the same job moves a different amount of data each day, so
 *   "comparable" means the same order of magnitude, not the same size; a
 *   spike more than twice the usual one is news and is not excused.
 * Contract: recurring() reads only past days; call add() afterwards. O(1)
 * per point; state (DAYS+1) day numbers and 2*24*(DAYS+1) numbers.
 * Timestamps that go back to an earlier day are not recorded.
 */
import { bad, nums, obj } from '../state.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS = 2;
const SLOTS = DAYS + 1;
const SIZE = 2;

export class DailyRecurrence {
  constructor(
    /** day number (floor(t / DAY)) held by each slot, -1 = empty */
    private readonly day: number[],
    /** per slot and hour: largest positive z (0 = none) */
    private readonly hi: number[],
    /** per slot and hour: most negative z (0 = none) */
    private readonly lo: number[],
  ) {}

  static create(): DailyRecurrence {
    return new DailyRecurrence(
      new Array<number>(SLOTS).fill(-1),
      new Array<number>(SLOTS * 24).fill(0),
      new Array<number>(SLOTS * 24).fill(0),
    );
  }

  /** Largest same-sign |z| at hour h (0..23, may spill into the neighbouring day) of day d; 0 when not kept. */
  private peak(d: number, h: number, up: boolean): number {
    if (h < 0) {
      d--;
      h += 24;
    } else if (h > 23) {
      d++;
      h -= 24;
    }
    const s = ((d % SLOTS) + SLOTS) % SLOTS;
    if (this.day[s] !== d) return 0;
    return up ? this.hi[s * 24 + h]! : -this.lo[s * 24 + h]!;
  }

  /** True when a spike of statistic z at t repeats one seen at this time of day on each of the previous DAYS days. */
  recurring(t: number, z: number): boolean {
    if (z === 0) return false;
    const d = Math.floor(t / DAY),
      h = Math.floor((t - d * DAY) / HOUR),
      up = z > 0,
      need = Math.abs(z) / SIZE;
    for (let k = 1; k <= DAYS; k++) {
      const m = Math.max(this.peak(d - k, h - 1, up), this.peak(d - k, h, up), this.peak(d - k, h + 1, up));
      if (!(m >= need)) return false;
    }
    return true;
  }

  add(t: number, z: number): void {
    const d = Math.floor(t / DAY),
      h = Math.floor((t - d * DAY) / HOUR);
    const s = ((d % SLOTS) + SLOTS) % SLOTS;
    if (this.day[s] !== d) {
      if (this.day[s]! > d) return;
      this.day[s] = d;
      for (let i = 0; i < 24; i++) {
        this.hi[s * 24 + i] = 0;
        this.lo[s * 24 + i] = 0;
      }
    }
    const i = s * 24 + h;
    if (z > this.hi[i]!) this.hi[i] = z;
    if (z < this.lo[i]!) this.lo[i] = z;
  }

  snapshot(): unknown {
    return { d: [...this.day], hi: [...this.hi], lo: [...this.lo] };
  }

  static restore(st: unknown): DailyRecurrence {
    const o = obj(st, 'daily');
    const hi = nums(o, 'hi', SLOTS * 24),
      lo = nums(o, 'lo', SLOTS * 24);
    if (hi.some((x) => x < 0) || lo.some((x) => x > 0)) bad('daily peaks');
    return new DailyRecurrence([...nums(o, 'd', SLOTS)], [...hi], [...lo]);
  }
}
