/**
 * Per-series online scorer around the shared forecaster network.
 *
 * For each point: forecast it from the previous W values (normalise.ts,
 * mlp.ts), divide the raw residual by this series' long-run residual scale
 * (an exponentially weighted mean of |residual|, memory ~1/alphaMin points,
 * capped so one outlier cannot hide the next), then map |z| to a tail
 * probability with the artifact's empirical calibration. Only then is the
 * point folded into the state, so a point never explains itself.
 *
 * Why a long-run scale and not the network's own per-window scale: the
 * latter judges a point against the last W points only, so every bump after
 * a quiet spell looks extreme. Operators (and NAB) judge against what the
 * metric usually does; on NAB the long-run version scored 34 vs 23 through
 * the ensemble's calibration alone. The network's scale head still shapes
 * training (the Laplace likelihood), it just does not set the alarm scale.
 *
 * Effects: none beyond its own state. Deterministic. NaN/Infinity inputs
 * return a neutral verdict and leave the state untouched.
 */
import type { Calibrator } from './calibration.js';
import type { ForecasterMeta } from './meta.js';
import type { Mlp } from './mlp.js';
import type { LearnedSeriesModel, LearnedSnapshot, LearnedUpdate } from './types.js';
import { MIN_HISTORY, nextQuantum, normaliseWindow, unsquash } from './normalise.js';
import { SlidingWindow } from './window.js';

export interface ForecasterParts {
  readonly net: Mlp;
  readonly meta: ForecasterMeta;
  readonly calibrator: Calibrator;
}

export interface SeriesState {
  n: number;
  /** smallest non-zero step seen (normalise.ts), 0 = none yet */
  q: number;
  /** long-run mean |residual|, raw units */
  ra: number;
  /** residuals folded into ra */
  nr: number;
}

/** Verdicts of a skipped point (update with want = false), shared: this path runs for most points. */
const SKIPPED_READY: LearnedUpdate = Object.freeze({
  surprise: 0,
  tail: 1,
  z: 0,
  expected: NaN,
  ready: true,
  sample: false,
});
const SKIPPED_COLD: LearnedUpdate = Object.freeze({
  surprise: 0,
  tail: 1,
  z: 0,
  expected: NaN,
  ready: false,
  sample: false,
});

/** Residuals averaged without a cap before the running scale is trusted to cap. */
const UNCAPPED = 8;

export class LearnedSeries implements LearnedSeriesModel {
  private readonly win: SlidingWindow;
  private readonly chrono: Float64Array;
  private readonly x: Float32Array;
  private readonly out = new Float64Array(2);
  private readonly ls = { loc: 0, scale: 1 };
  private fresh = false; // `expected` below matches the current window
  private expected = NaN;

  constructor(
    private readonly parts: ForecasterParts,
    private readonly state: SeriesState,
    window?: SlidingWindow,
    /** the residual scale learns from every stride-th point (see update) */
    private readonly stride = 1,
  ) {
    const w = parts.meta.window;
    this.win = window ?? new SlidingWindow(w);
    this.chrono = new Float64Array(w);
    this.x = new Float32Array(w);
  }

  get count(): number {
    return this.state.n;
  }

  /**
   * `want` false: the caller does not need this point's verdict. With a
   * stride > 1 the forecast (the network's forward pass, most of the cost)
   * is then skipped unless this point feeds the residual scale, and the
   * verdict is neutral with expected NaN. The residual scale depends only on
   * the stride, never on `want`, so skipping changes no later verdict.
   */
  update(_t: number, v: number, want = true): LearnedUpdate {
    const st = this.state;
    const ready = st.n >= this.parts.meta.window + this.parts.meta.residual.warmup;
    if (!Number.isFinite(v)) {
      return { surprise: 0, tail: 1, z: 0, expected: st.n > 0 ? this.forecast() : NaN, ready, sample: false };
    }
    if (st.n === 0) {
      this.win.push(v);
      st.n = 1;
      return { surprise: 0, tail: 1, z: 0, expected: v, ready: false, sample: false };
    }
    const sample = st.n % this.stride === 0;
    if (!want && !sample) {
      this.fold(v);
      return ready ? SKIPPED_READY : SKIPPED_COLD;
    }
    const expected = this.forecast();
    if (st.n < MIN_HISTORY) {
      // Too little history to judge (and the network never trained on it).
      this.fold(v);
      return { surprise: 0, tail: 1, z: 0, expected, ready, sample: false };
    }
    const r = v - expected;
    const spread = this.spread();
    const z = r / spread;
    const tail = this.parts.calibrator.tail(Math.abs(z));
    if (sample) {
      const rp = this.parts.meta.residual;
      // Same memory in points whatever the stride.
      const alpha = Math.max(1 / (st.nr + 1), Math.min(1, rp.alphaMin * this.stride));
      // Huber-style: capped relative to the estimate itself, so neither one outlier nor a
      // run of anomalies inflates it; the floor only stands in while it is exactly 0.
      const a = st.nr < UNCAPPED ? Math.abs(r) : Math.min(Math.abs(r), rp.cap * (st.ra > 0 ? st.ra : spread));
      st.ra += alpha * (a - st.ra);
      st.nr += 1;
    }
    this.fold(v);
    return { surprise: 1 - tail, tail, z, expected, ready, sample };
  }

  band(tail: number): readonly [number, number] {
    if (this.state.n === 0) return [NaN, NaN];
    const e = this.forecast();
    const half = this.parts.calibrator.quantile(tail) * this.spread();
    return [e - half, e + half];
  }

  snapshot(): LearnedSnapshot {
    const window: number[] = [];
    if (this.state.n > 0) {
      this.win.chronological(this.chrono);
      window.push(...this.chrono);
    }
    const { n, q, ra, nr } = this.state;
    return { format: 'vigil-learned/1', model: this.parts.meta.id, n, window, q, ra, nr };
  }

  /**
   * Residual scale (raw units): the long-run mean |residual|, floored by a
   * fraction of the series' resolution (a sparse count series is forecast
   * exactly most of the time; without the floor its every 1 would look like
   * a million-sigma event) and by a sliver of the level (flat series).
   */
  private spread(): number {
    const floor = Math.max(this.parts.meta.residual.quantum * this.state.q, 1e-9 * Math.abs(this.expected), 1e-12);
    return this.state.ra > floor ? this.state.ra : floor;
  }

  private fold(v: number): void {
    this.state.q = nextQuantum(this.state.q, this.win.last, v);
    this.state.n += 1;
    this.win.push(v);
    this.fresh = false;
  }

  /** Forecast for the next point (raw units), cached until the window moves. */
  private forecast(): number {
    if (!this.fresh) {
      this.win.chronological(this.chrono);
      normaliseWindow(this.chrono, this.win.sorted, this.state.q, this.x, this.ls);
      const out = this.parts.net.forward(this.x, this.out);
      this.expected = this.ls.loc + this.ls.scale * unsquash(out[0] as number);
      this.fresh = true;
    }
    return this.expected;
  }
}
