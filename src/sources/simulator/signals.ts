/**
 * The value of every metric of one service at one sample, as a pure function
 * of (seed, service, step index, t, effects): seasonality from wall-clock UTC
 * time, noise from counter-keyed draws. Load drives the correlated metrics:
 * cpu saturates with it, latency bends upward at high load, noise grows with
 * the level (heteroscedastic). Also decides which samples are missing.
 */
import { hashInts, hashString, mix, normalOf, unitOf } from './prng.js';
import type { Effects } from './effects.js';
import type { ServiceProfile } from './profiles.js';
import { SIM_METRICS } from './types.js';
import type { SimMetric } from './types.js';

// Bound once: under jest 30 every global lookup (`Math`) goes through the sandbox's
// Proxy, ~1µs each, which dominates hot loops like this one.
const { floor, cos, sqrt, exp, log, min, max, round: mround, PI } = Math;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WANDER_KNOT_MS = 3 * HOUR;
const BURST_BLOCK = 240;
const PURPOSES = [
  'wander',
  'rate',
  'rate2',
  'lat',
  'tail',
  'tailsize',
  'err',
  'cpu',
  'cpufloor',
  'mem',
  'burst',
] as const;

/** Per-(seed, service) base hashes, one per purpose; draws fold the step index into them. */
export type SignalKeys = Readonly<Record<(typeof PURPOSES)[number], number>> & { readonly drop: readonly number[] };

export function signalKeys(seed: number, service: string): SignalKeys {
  const svc = hashString(service);
  const keys: Record<string, number> = Object.fromEntries(PURPOSES.map((p) => [p, hashInts(seed, svc, hashString(p))]));
  return {
    ...keys,
    drop: SIM_METRICS.map((m) => hashInts(seed, svc, hashString('drop'), hashString(m))),
  } as unknown as SignalKeys;
}

const smooth = (x: number): number => {
  const c = min(1, max(0, x));
  return c * c * (3 - 2 * c);
};

/** 1 on weekends, 0 on weekdays, with 6h blends so no false level shift sits at midnight. */
function weekendness(t: number): number {
  let w = ((((t / DAY + 3) % 7) + 7) % 7) * 24; // hours since Monday 00:00 UTC (1970-01-01 was a Thursday)
  if (w < 3) w += 168;
  return smooth((w - 117) / 6) * (1 - smooth((w - 165) / 6));
}

/** Load relative to the service's average: daily and weekly seasonality plus slow drift. */
export function baseLoad(p: ServiceProfile, keys: SignalKeys, t: number): number {
  const h = (((t % DAY) + DAY) % DAY) / HOUR - p.peakHour;
  const daily = 1 + p.dailyAmp * cos((2 * PI * h) / 24) + 0.2 * p.dailyAmp * cos((4 * PI * h) / 24);
  const weekly = 1 - (1 - p.weekendFactor) * weekendness(t);
  const k = floor(t / WANDER_KNOT_MS);
  const f = (t - k * WANDER_KNOT_MS) / WANDER_KNOT_MS;
  const a = normalOf(mix(keys.wander, k));
  const b = normalOf(mix(keys.wander, k + 1));
  const wander = 1 + 0.04 * (a + ((b - a) * (1 - cos(PI * f))) / 2);
  return max(0.05, daily * weekly * wander);
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return mround(v * f) / f;
};

export function sample(
  p: ServiceProfile,
  keys: SignalKeys,
  i: number,
  t: number,
  stepMs: number,
  fx: Effects,
): Record<SimMetric, number> {
  const d = (base: number) => normalOf(mix(base, i));
  const L = baseLoad(p, keys, t) * fx.load;
  // Poisson-like count noise over the step plus a little multiplicative jitter.
  const r = p.rate * L;
  const rate = max(0, r * (1 + 0.02 * d(keys.rate)) + sqrt(r / (stepMs / 1000)) * d(keys.rate2));
  let lat =
    p.latencyMs * (0.85 + 0.15 * L + 0.25 * max(0, L - 1.2) ** 2) * fx.latency * exp((0.04 + 0.03 * L) * d(keys.lat));
  if (unitOf(mix(keys.tail, i)) < 0.003) lat *= 1.3 + 0.5 * unitOf(mix(keys.tailsize, i));
  const err = min(1, p.errorRate * (0.8 + 0.2 * L) * fx.errors * exp(0.25 * d(keys.err)));
  // cpu = 100(1 - e^{-kL}) with k set so that cpu at average load is the profile's value.
  const kCpu = -log(1 - p.cpuPct / 100);
  let cpu = 100 * (1 - exp(-kCpu * L)) + 1.5 * sqrt(L) * d(keys.cpu);
  if (fx.cpuFloor > 0) cpu = max(cpu, fx.cpuFloor + 1.2 * d(keys.cpufloor));
  const mem = p.memoryMb * (1 + 0.03 * (L - 1)) * (1 + fx.memoryGrowth) + 0.006 * p.memoryMb * d(keys.mem);
  return {
    request_rate: round(rate, 2),
    latency_p95_ms: round(lat, 1),
    error_rate: round(err, 5),
    cpu_pct: round(min(100, max(0, cpu)), 2),
    memory_mb: round(max(0, mem), 1),
  };
}

/**
 * Whether sample i of metric number m is missing: rare single drops per
 * series, and a few short scrape outages per service per day (2–8 steps,
 * every metric of the service at once).
 */
export function isGap(keys: SignalKeys, m: number, i: number): boolean {
  if (unitOf(mix(keys.drop[m] ?? 0, i)) < 0.002) return true;
  const b = floor(i / BURST_BLOCK);
  const block = mix(keys.burst, b);
  if (unitOf(mix(block, 0)) >= 0.25) return false;
  const from = b * BURST_BLOCK + floor(unitOf(mix(block, 1)) * (BURST_BLOCK - 10));
  const len = 2 + floor(unitOf(mix(block, 2)) * 7);
  return i >= from && i < from + len;
}
