/**
 * Contextual novelty (in the spirit of CAD-OSE / KNN-CAD): how new is the
 * recent *pattern* of the series, as opposed to how far the value is from a
 * level? Each value is quantised into Q levels of the running [min, max]
 * (values beyond the range get their own "above"/"below" symbols, then widen
 * the range). The contexts ending at t are the last k symbols for
 * k = 2..K; a context is novel when its (hashed) count is 0. The raw novelty
 * of a point is the fraction of novel contexts, and the model's
 * nonconformity is the mean raw novelty over the last W points (HTM-style
 * smoothing; the ensemble's tail calibrator then compares it with its own
 * long-run distribution, i.e. the anomaly likelihood).
 * Counts live in a fixed hash table (collisions only make contexts look
 * familiar) and are halved every HALVE points so old habits fade.
 * O(K + W) per point; state = table (base64, 8 KB at 12 bits) + a few numbers.
 * Contract: update() scores from state before v, then learns v.
 */
import { bad, nums, obj } from '../state.js';

export interface ContextParams {
  /** quantisation levels inside the running range */
  readonly levels: number;
  /** longest context (symbols) */
  readonly order: number;
  /** smoothing window of the raw novelty */
  readonly window: number;
  /** log2 of hash table size */
  readonly bits: number;
  /** counts are halved every this many points (0 = never) */
  readonly halve: number;
  /** points before the novelty is informative (the first contexts are all new) */
  readonly settle: number;
}

export const CONTEXT_DEFAULTS: ContextParams = { levels: 4, order: 4, window: 3, bits: 12, halve: 0, settle: 100 };

const MAX_COUNT = 65535;

export class ContextNovelty {
  constructor(
    readonly p: ContextParams,
    /** [lo, hi, n, ring position] */
    private readonly s: number[],
    /** last `order` symbols, newest last */
    private readonly sym: number[],
    private readonly ring: Float64Array,
    private readonly table: Uint16Array,
  ) {}

  static create(p: ContextParams): ContextNovelty {
    return new ContextNovelty(p, [0, 0, 0, 0], [], new Float64Array(p.window), new Uint16Array(1 << p.bits));
  }

  /** True once `settle` points have been learned: from then on its scores describe the series. */
  get settled(): boolean {
    return this.s[2]! > this.p.settle;
  }

  private symbol(v: number): number {
    const lo = this.s[0]!,
      hi = this.s[1]!,
      L = this.p.levels;
    if (v > hi) return L;
    if (v < lo) return L + 1;
    const r = hi - lo;
    return r > 0 ? Math.min(L - 1, Math.floor(((v - lo) / r) * L)) : 0;
  }

  /** Nonconformity of v (>= 0): smoothed fraction of novel contexts. */
  update(v: number): number {
    const s = this.s,
      p = this.p,
      sym = this.sym,
      tab = this.table;
    const first = s[2] === 0;
    const q = first ? 0 : this.symbol(v);
    if (first || v < s[0]!) s[0] = v;
    if (first || v > s[1]!) s[1] = v;
    sym.push(q);
    if (sym.length > p.order) sym.shift();
    const mask = tab.length - 1;
    let h = 0x811c9dc5 | 0,
      novel = 0,
      ctx = 0;
    for (let k = 1; k <= sym.length; k++) {
      h = Math.imul(h ^ (sym[sym.length - k]! + 1), 0x01000193);
      if (k < 2) continue;
      const i = (h ^ (h >>> 15)) & mask;
      ctx++;
      if (tab[i] === 0) novel++;
      if (tab[i]! < MAX_COUNT) tab[i]!++;
    }
    const raw = ctx > 0 ? novel / ctx : 0;
    const n = ++s[2]!;
    const W = p.window,
      pos = s[3]!,
      ring = this.ring;
    ring[pos] = raw;
    s[3] = (pos + 1) % W;
    if (p.halve > 0 && n % p.halve === 0) for (let i = 0; i < tab.length; i++) tab[i] = tab[i]! >> 1;
    let sum = 0;
    for (let i = 0; i < W; i++) sum += ring[i]!;
    return sum / Math.min(n, W);
  }

  snapshot(): unknown {
    return {
      s: [...this.s],
      q: [...this.sym],
      r: [...this.ring],
      t: Buffer.from(this.table.buffer, this.table.byteOffset, this.table.byteLength).toString('base64'),
    };
  }

  static restore(st: unknown, p: ContextParams): ContextNovelty {
    const o = obj(st, 'context');
    const s = nums(o, 's', 4);
    const q = nums(o, 'q');
    const r = nums(o, 'r', p.window);
    if (q.length > p.order) bad('context symbols');
    if (typeof o.t !== 'string') bad('context table');
    const buf = Buffer.from(o.t, 'base64');
    if (buf.length !== 2 << p.bits) bad('context table size');
    const table = new Uint16Array(1 << p.bits);
    for (let i = 0; i < table.length; i++) table[i] = buf.readUInt16LE(2 * i);
    return new ContextNovelty(p, [...s], [...q], Float64Array.from(r), table);
  }
}
