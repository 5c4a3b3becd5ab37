/**
 * Shapes of the simulated fleet: options, the ground-truth scenario and the
 * per-service profiles signals are drawn from. Types only, no behaviour.
 */
import type { Deployment } from '../../domain/index.js';

export const SIM_METRICS = ['request_rate', 'latency_p95_ms', 'error_rate', 'cpu_pct', 'memory_mb'] as const;
/** request_rate in req/s, latency in ms, error_rate a fraction in [0,1], cpu in %, memory in MB. */
export type SimMetric = (typeof SIM_METRICS)[number];

export interface SimulatorOptions {
  readonly seed: number;
  /** Epoch ms of the first sample; no samples exist before it. */
  readonly start: number;
  /** Sample spacing; default 60_000. */
  readonly stepMs?: number;
  /** Number of services, 1..64; default 4. */
  readonly services?: number;
  /** Simulated time span events are scheduled in; default 24h. Samples continue past it, event-free. */
  readonly durationMs?: number;
}

/** Options with defaults applied: the full input of every value the simulator produces. */
export interface SimSpec {
  readonly seed: number;
  readonly start: number;
  readonly stepMs: number;
  readonly services: number;
  readonly durationMs: number;
}

export type SimIncidentKind =
  | 'latency_step'
  | 'error_spike'
  | 'memory_leak'
  | 'cpu_saturation'
  /** Traffic surge from outside: request rate up, cpu and latency follow. */
  | 'unrelated_spike'
  /**
   * The shared dependency degrades, no deploy involved: latency and errors up
   * on the dependency itself and on the service that calls it.
   */
  | 'dependency_degradation';

/** One injected anomaly: the ground truth detectors and attribution are scored against. */
export interface SimIncident {
  readonly id: string;
  readonly service: string;
  /** Metrics the incident visibly moves. */
  readonly metrics: readonly SimMetric[];
  readonly kind: SimIncidentKind;
  /** Epoch ms, inclusive; on the sample grid. */
  readonly start: number;
  /** Epoch ms, exclusive; on the sample grid. */
  readonly end: number;
  /** Id of the deployment that caused it, or null for an unrelated incident. */
  readonly causedBy: string | null;
  /**
   * Size of the effect: a multiplier for latency/errors/traffic, the final
   * fractional growth for a memory leak, the target cpu % for saturation.
   */
  readonly magnitude: number;
}

export interface SimService {
  readonly name: string;
  readonly metrics: readonly SimMetric[];
}

export interface Scenario {
  readonly seed: number;
  readonly start: number;
  readonly stepMs: number;
  readonly durationMs: number;
  /** Nothing is scheduled before this time (epoch ms): detectors' baseline period. */
  readonly warmupEnd: number;
  /** The fleet, then the shared dependency they all call (never deployed). */
  readonly services: readonly SimService[];
  /** Sorted by startedAt. */
  readonly deployments: readonly Deployment[];
  /** Sorted by start. */
  readonly incidents: readonly SimIncident[];
}
