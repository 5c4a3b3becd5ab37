/**
 * Per-service baselines: plausible magnitudes for a small web fleet, plus
 * seasonal shape. Services past the named ones get derived profiles, so any
 * count in 1..64 works. Pure data and one pure function.
 */
import { uniform, hashString } from './prng.js';

export interface ServiceProfile {
  readonly name: string;
  /** req/s at average load. */
  readonly rate: number;
  /** p95 latency in ms at average load. */
  readonly latencyMs: number;
  /** Error fraction at average load. */
  readonly errorRate: number;
  /** cpu % at average load. */
  readonly cpuPct: number;
  readonly memoryMb: number;
  /** Daily swing of load, as a fraction of the mean. */
  readonly dailyAmp: number;
  /** UTC hour of peak traffic. */
  readonly peakHour: number;
  /** Load on weekends relative to weekdays. */
  readonly weekendFactor: number;
}

type Base = Omit<ServiceProfile, 'dailyAmp' | 'peakHour' | 'weekendFactor'>;

const NAMED: readonly Base[] = [
  { name: 'checkout', rate: 120, latencyMs: 180, errorRate: 0.004, cpuPct: 35, memoryMb: 900 },
  { name: 'payments', rate: 60, latencyMs: 240, errorRate: 0.002, cpuPct: 30, memoryMb: 1200 },
  { name: 'search', rate: 400, latencyMs: 90, errorRate: 0.003, cpuPct: 45, memoryMb: 2000 },
  { name: 'auth', rate: 250, latencyMs: 40, errorRate: 0.001, cpuPct: 25, memoryMb: 512 },
  { name: 'inventory', rate: 90, latencyMs: 120, errorRate: 0.002, cpuPct: 30, memoryMb: 700 },
  { name: 'gateway', rate: 900, latencyMs: 60, errorRate: 0.002, cpuPct: 40, memoryMb: 1500 },
  { name: 'recommendations', rate: 200, latencyMs: 150, errorRate: 0.003, cpuPct: 50, memoryMb: 2500 },
  { name: 'notifications', rate: 40, latencyMs: 300, errorRate: 0.005, cpuPct: 20, memoryMb: 400 },
];

export const MAX_SERVICES = 64;

/**
 * The shared dependency every simulated fleet has: a database the services
 * call, watched like any AWS resource (its own latency, errors, load), but
 * changed outside the deploy pipeline Vigil sees, so it never has a deploy.
 * Its degradation is the root of the "dependency_degradation" incidents.
 */
export const DEPENDENCY = 'database';
const DEPENDENCY_BASE: Base = {
  name: DEPENDENCY,
  rate: 1500,
  latencyMs: 12,
  errorRate: 0.0005,
  cpuPct: 40,
  memoryMb: 8000,
};

/** The first `count` service profiles for a seed; seasonal shape varies by seed and service. */
export function serviceProfiles(seed: number, count: number): ServiceProfile[] {
  const out: ServiceProfile[] = [];
  for (let i = 0; i < count; i++) out.push(profileOf(seed, NAMED[i], i));
  return out;
}

/** The shared dependency's profile for a seed. */
export function dependencyProfile(seed: number): ServiceProfile {
  return profileOf(seed, DEPENDENCY_BASE, -1);
}

/** A named base, or for fleets past the named ones a base derived from service number `i`. */
function profileOf(seed: number, named: Base | undefined, i: number): ServiceProfile {
  const key = hashString(named?.name ?? `service-${i + 1}`);
  const u = (n: number) => uniform(seed, key, 0xbeef, n);
  const base: Base = named ?? {
    name: `service-${i + 1}`,
    rate: Math.round(30 + 300 * u(1)),
    latencyMs: Math.round(40 + 200 * u(2)),
    errorRate: 0.001 + 0.004 * u(3),
    cpuPct: Math.round(20 + 30 * u(4)),
    memoryMb: Math.round(300 + 2000 * u(5)),
  };
  return {
    ...base,
    dailyAmp: 0.3 + 0.25 * u(6),
    peakHour: 13 + 7 * u(7),
    weekendFactor: 0.6 + 0.25 * u(8),
  };
}
