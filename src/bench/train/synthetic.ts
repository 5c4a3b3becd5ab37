/**
 * Synthetic metric series for training the global forecaster. Never real
 * benchmark data: the NAB corpus is only ever used to evaluate.
 *
 * Families cover what operations metrics look like: smooth and noisy
 * seasonal signals with trends, AR noise and random walks; Poisson counts;
 * intermittent bursts; piecewise-constant settings; sawtooth fill-and-reset
 * (disks, leaks); plus clamping at zero, saturation, quantisation. Injected
 * anomalies (spikes, level shifts, dropouts, variance bursts) are marked so
 * training can skip them as targets: the network learns what normally comes
 * next, including after an anomaly has passed through its window.
 *
 * Pure and deterministic for a given Rng.
 */
import type { Rng } from './rng.js';
import { poisson, randomNoise, randomProfile } from './shapes.js';

export interface SyntheticSeries {
  readonly family: string;
  readonly values: Float64Array;
  /** 1 where an injected anomaly makes the value unforecastable. */
  readonly anomaly: Uint8Array;
  /**
   * 1 at abrupt but normal events (a setting changes, a disk is cleaned, a
   * burst starts or stops). Trained on; left out of the calibration of
   * "ordinary" residuals, whose tail they would otherwise dominate.
   */
  readonly event: Uint8Array;
}

export interface SyntheticOptions {
  readonly length: number;
  /** Inject marked anomalies (training, detection checks) or keep the series clean (calibration). */
  readonly anomalies: boolean;
}

type Family = 'continuous' | 'count' | 'intermittent' | 'steps' | 'sawtooth' | 'walk';
const FAMILIES: readonly Family[] = [
  ...Array<Family>(11).fill('continuous'),
  ...Array<Family>(4).fill('count'),
  'intermittent',
  'steps',
  'steps',
  'sawtooth',
  'walk',
];

export function generateSeries(rng: Rng, opts: SyntheticOptions): SyntheticSeries {
  const n = opts.length;
  const family = rng.pick(FAMILIES);
  const v = new Float64Array(n);
  const anomaly = new Uint8Array(n);
  const event = new Uint8Array(n);
  if (family === 'continuous') continuous(rng, v);
  else if (family === 'count') counts(rng, v);
  else if (family === 'intermittent') intermittent(rng, v, event);
  else if (family === 'steps') steps(rng, v, event);
  else if (family === 'sawtooth') sawtooth(rng, v, event);
  else walk(rng, v);
  postProcess(rng, v, family);
  if (opts.anomalies && rng.chance(0.6)) injectAnomalies(rng, v, anomaly);
  return { family, values: v, anomaly, event };
}

/** Level + seasonality + trend + random walk + (AR) noise, then scaled. */
function continuous(rng: Rng, v: Float64Array): void {
  const n = v.length;
  const seasons = Array.from({ length: rng.pick([0, 1, 1, 1, 2]) }, () => {
    const period = Math.max(3, Math.round(rng.logUniform(4, 500)));
    const amp = rng.logUniform(0.2, 3);
    const phase = rng.next();
    const wobble = rng.chance(0.3) ? rng.uniform(0.1, 0.5) : 0;
    const wobblePeriod = period * rng.uniform(3, 12);
    return { f: randomProfile(rng), period, amp, phase, wobble, wobblePeriod };
  });
  const slope = rng.chance(0.3) ? rng.normal() * rng.logUniform(1e-4, 1e-2) : 0;
  const walkSd = rng.chance(0.3) ? rng.logUniform(0.003, 0.1) : 0;
  const noiseSd = rng.logUniform(0.01, 1.5);
  const draw = randomNoise(rng);
  const phi = rng.chance(0.4) ? rng.uniform(0.3, 0.97) : 0;
  const innov = Math.sqrt(1 - phi * phi);
  const multiplicative = rng.chance(0.15);
  let ar = 0;
  let level = 0;
  // Occasional gradual regime moves (normal behaviour, unlike injected shifts).
  const ramps = rng.chance(0.15)
    ? Array.from({ length: rng.int(1, 4) }, () => ({ at: rng.int(0, n), len: rng.int(5, 60), size: rng.normal() * 2 }))
    : [];
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (const c of seasons) {
      const amp = c.amp * (1 + c.wobble * Math.sin((2 * Math.PI * t) / c.wobblePeriod));
      s += amp * c.f((t / c.period + c.phase) % 1);
    }
    for (const r of ramps) s += r.size * Math.min(1, Math.max(0, (t - r.at) / r.len));
    level += walkSd * rng.normal();
    ar = phi * ar + innov * draw();
    const base = s + slope * t + level;
    v[t] = base + noiseSd * ar * (multiplicative ? Math.max(0.1, 1 + 0.5 * base) : 1);
  }
}

/** Poisson counts around a seasonal, slowly drifting rate. */
function counts(rng: Rng, v: Float64Array): void {
  const rate = rng.logUniform(0.05, 300);
  const period = Math.max(3, Math.round(rng.logUniform(4, 500)));
  const f = randomProfile(rng);
  const depth = rng.chance(0.7) ? rng.uniform(0.1, 1.2) : 0;
  const phase = rng.next();
  const driftSd = rng.chance(0.3) ? rng.logUniform(0.002, 0.03) : 0;
  let drift = 0;
  for (let t = 0; t < v.length; t++) {
    drift += driftSd * rng.normal();
    v[t] = poisson(rng, rate * Math.exp(depth * f((t / period + phase) % 1) + drift));
  }
}

/** Mostly idle, with bursts (errors, retries, batch queues). */
function intermittent(rng: Rng, v: Float64Array, event: Uint8Array): void {
  const pStart = rng.logUniform(0.005, 0.1);
  const meanLen = rng.logUniform(1, 15);
  const height = rng.logUniform(1, 100);
  const floor = rng.chance(0.5) ? 0 : rng.logUniform(0.1, 5);
  let left = 0;
  for (let t = 0; t < v.length; t++) {
    const was = left > 0;
    if (left === 0 && rng.chance(pStart)) left = 1 + Math.floor(-meanLen * Math.log(1 - rng.next()));
    v[t] = left > 0 ? poisson(rng, height) : floor > 1 ? poisson(rng, floor) : floor;
    if (was !== left > 0) event[t] = 1;
    if (left > 0) left--;
  }
}

/** Piecewise constant (replica counts, config values), optionally noisy. */
function steps(rng: Rng, v: Float64Array, event: Uint8Array): void {
  const every = rng.logUniform(15, 400);
  const integer = rng.chance(0.5);
  const noise = rng.chance(0.5) ? rng.logUniform(0.001, 0.1) : 0;
  let level = integer ? rng.int(1, 20) : rng.normal() * 5;
  for (let t = 0; t < v.length; t++) {
    if (rng.chance(1 / every)) {
      level += integer ? rng.pick([-2, -1, 1, 1, 2, 3]) : rng.normal() * 2;
      event[t] = 1;
    }
    v[t] = level + noise * rng.normal();
  }
}

/** Fill and reset: disk usage, memory leaks with restarts, queue drains. */
function sawtooth(rng: Rng, v: Float64Array, event: Uint8Array): void {
  const fill = rng.logUniform(0.002, 0.05);
  const every = rng.logUniform(30, 600);
  const noise = rng.logUniform(0.001, 0.05);
  let level = rng.next();
  for (let t = 0; t < v.length; t++) {
    level += fill * (1 + 0.3 * rng.normal());
    if (level > 1 || rng.chance(1 / every)) {
      level = rng.uniform(0, 0.2);
      event[t] = 1;
    }
    v[t] = level + noise * rng.normal();
  }
}

function walk(rng: Rng, v: Float64Array): void {
  const drift = rng.chance(0.5) ? rng.normal() * 0.05 : 0;
  const draw = randomNoise(rng);
  let x = 0;
  for (let t = 0; t < v.length; t++) {
    x += drift + draw();
    v[t] = x;
  }
}

function injectAnomalies(rng: Rng, v: Float64Array, mark: Uint8Array): void {
  const n = v.length;
  const sd = robustStepSd(v);
  for (let k = rng.int(1, 5); k > 0; k--) {
    const t = rng.int(8, n);
    const sign = rng.chance(0.6) ? 1 : -1;
    const kind = rng.pick(['spike', 'spike', 'spike', 'shift', 'shift', 'dropout', 'burst'] as const);
    if (kind === 'spike') {
      const len = rng.pick([1, 1, 1, 2, 3]);
      const size = sign * rng.logUniform(5, 60) * sd;
      for (let i = t; i < Math.min(n, t + len); i++) {
        v[i] = (v[i] as number) + size;
        mark[i] = 1;
      }
    } else if (kind === 'shift') {
      const size = sign * rng.logUniform(4, 40) * sd;
      for (let i = t; i < n; i++) v[i] = (v[i] as number) + size;
      mark[t] = 1; // only the jump itself is unforecastable; afterwards it is the new normal
    } else if (kind === 'dropout') {
      const len = rng.int(1, 12);
      for (let i = t; i < Math.min(n, t + len); i++) {
        v[i] = 0;
        mark[i] = 1;
      }
    } else {
      const len = rng.int(3, 30);
      const gain = rng.logUniform(3, 15) * sd;
      for (let i = t; i < Math.min(n, t + len); i++) {
        v[i] = (v[i] as number) + gain * rng.normal();
        mark[i] = 1;
      }
    }
  }
}

/** Typical one-step change, the yardstick for anomaly sizes. */
function robustStepSd(v: Float64Array): number {
  const d = new Float64Array(v.length - 1);
  for (let i = 1; i < v.length; i++) d[i - 1] = Math.abs((v[i] as number) - (v[i - 1] as number));
  d.sort();
  const med = d[d.length >> 1] ?? 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    lo = Math.min(lo, v[i] as number);
    hi = Math.max(hi, v[i] as number);
  }
  // Smooth series have tiny steps; 1% of the range keeps their anomalies visible but fair.
  return Math.max((1.4826 * med) / Math.SQRT2, 0.01 * (hi - lo), 1e-9);
}

/** Units, offsets and the shapes real exporters impose (floors, caps, rounding). */
function postProcess(rng: Rng, v: Float64Array, family: Family): void {
  const scaled = family !== 'count' && family !== 'intermittent';
  const scale = scaled ? rng.logUniform(1e-3, 1e4) : 1;
  const offset = scaled && rng.chance(0.7) ? rng.logUniform(0.1, 300) * scale * rng.pick([1, 1, 1, -1]) : 0;
  const clampZero = scaled && rng.chance(0.3);
  const cap = scaled && rng.chance(0.08);
  const quantum = rng.chance(0.15) ? scale * rng.logUniform(0.01, 0.5) : 0;
  let hi = -Infinity;
  for (let t = 0; t < v.length; t++) {
    v[t] = offset + scale * (v[t] as number);
    hi = Math.max(hi, v[t] as number);
  }
  const ceiling = cap ? hi - (hi - offset) * rng.uniform(0.05, 0.4) : Infinity;
  const negate = rng.chance(0.08);
  for (let t = 0; t < v.length; t++) {
    let x = v[t] as number;
    if (clampZero && x < 0) x = 0;
    if (x > ceiling) x = ceiling;
    if (quantum > 0) x = Math.round(x / quantum) * quantum;
    v[t] = negate ? -x : x;
  }
}
