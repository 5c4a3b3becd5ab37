/**
 * Paging policy, kept apart from the score. A detector's score is a
 * per-point probability that the series is abnormal *now*: it stays high for
 * as long as a deviation lasts. Whether a long event pages once or many
 * times is a policy of the consumer:
 *  - in operation the incident lifecycle (src/incidents) confirms anomalies,
 *    groups the repeated ones into one open incident and resolves it when
 *    the series is back (its own evidence test);
 *  - NAB counts every detection outside a label window as a false positive,
 *    so `vigil bench nab` writes scores through PageOnce below.
 * PageOnce: after a score >= `arm`, the next scores are multiplied by `damp`
 * until the event is over (the raw score has stayed below `quietLevel` for
 * `quietRun` points; 0 = fixed length only), and at most `refractory`
 * points, so a series is not left blind long after a short event.
 * Pure function of the raw scores seen so far; O(1) per point.
 */
import type { Detector, DetectorFactory, PageOnceParams } from './types.js';
import { nums, obj } from './state.js';

export type { PageOnceParams } from './types.js';

export const PAGE_ONCE_DEFAULTS: PageOnceParams = {
  arm: 0.3,
  damp: 0.1,
  refractory: 300,
  quietLevel: 0.05,
  quietRun: 110,
};

export class PageOnce {
  constructor(
    private readonly p: PageOnceParams = PAGE_ONCE_DEFAULTS,
    private refr = 0,
    private quiet = 0,
  ) {}

  /** [points of refractory left, quiet points counted], for snapshots */
  state(): [number, number] {
    return [this.refr, this.quiet];
  }

  /** The score to report for this point, given its raw score. */
  apply(raw: number): number {
    const P = this.p;
    this.quiet = raw < P.quietLevel ? this.quiet + 1 : 0;
    if (this.refr > 0) {
      this.refr--;
      if (P.quietRun > 0 && this.quiet >= P.quietRun) this.refr = 0;
      return raw * P.damp;
    }
    if (P.refractory > 0 && raw >= P.arm) {
      this.refr = P.refractory;
      this.quiet = 0;
    }
    return raw;
  }

  /** Applies the policy to a whole series of raw scores, in place. */
  static applyAll(values: Float64Array, p: PageOnceParams = PAGE_ONCE_DEFAULTS): Float64Array {
    const pol = new PageOnce(p);
    for (let i = 0; i < values.length; i++) values[i] = pol.apply(values[i] as number);
    return values;
  }
}

/**
 * A detector whose scores go through PageOnce: for consumers that want the
 * page-once policy applied to the score itself. Snapshot: the inner
 * detector's and the policy's state.
 */
export function withPageOnce(inner: DetectorFactory, p: PageOnceParams): DetectorFactory {
  const wrap = (d: Detector, pol: PageOnce): Detector => ({
    update: (pt, load) => {
      const s = d.update(pt, load);
      return { ...s, value: pol.apply(s.value) };
    },
    snapshot: () => ({ kind: 'page-once', inner: d.snapshot(), pol: pol.state() }),
  });
  return {
    name: inner.name,
    create: (ref) => wrap(inner.create(ref), new PageOnce(p)),
    restore: (ref, st) => {
      const o = obj(st, 'page-once state');
      // A bare detector snapshot (stored before the policy moved out of the detector) continues with a fresh policy.
      if (o.kind !== 'page-once') return wrap(inner.restore(ref, st), new PageOnce(p));
      const [refr, quiet] = nums(o, 'pol', 2);
      return wrap(inner.restore(ref, o.inner), new PageOnce(p, refr, quiet));
    },
  };
}
