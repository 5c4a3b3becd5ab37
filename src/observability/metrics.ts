/**
 * Process metrics exposed at /metrics (prom-client). One registry per
 * process; the pipeline only sees the small `Metrics` surface.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  pointsIngested(source: string, n: number): void;
  anomaliesDetected(n: number): void;
  scoringSeconds(seconds: number, points: number): void;
  notification(notifier: string, ok: boolean): void;
  queueDepth(name: string, waiting: number): void;
  badInput(kind: string): void;
  /** A request refused 401 (missing or wrong token or signature), by route. */
  unauthorized(route: string): void;
  /** A job found stalled: its worker stopped mid-job (killed, crashed, or blocked past its lock). */
  jobStalled(name: string): void;
  /**
   * Where a pull job found a series' detector: kept in this process's
   * memory, in memory and caught up with what another process fed it,
   * restored from the store, or new (stages/live.ts).
   */
  detectorResumed(from: ResumedFrom): void;
}

export type ResumedFrom = 'memory' | 'caught-up' | 'store' | 'new';

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) {
    collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
    // The default metrics give the current RSS only; a benchmark (and a capacity plan) needs the peak.
    new Gauge({
      name: 'vigil_process_max_resident_memory_bytes',
      help: 'Peak resident memory of this process since it started, in bytes',
      registers: [registry],
      collect() {
        this.set(process.resourceUsage().maxRSS * 1024);
      },
    });
  }
  const points = new Counter({
    name: 'vigil_points_ingested_total',
    help: 'Points scored, by source',
    labelNames: ['source'],
    registers: [registry],
  });
  const anomalies = new Counter({
    name: 'vigil_anomalies_total',
    help: 'Points that crossed the anomaly threshold',
    registers: [registry],
  });
  const scoring = new Histogram({
    name: 'vigil_scoring_seconds_per_point',
    help: 'Detector time per point, measured per batch',
    buckets: [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2],
    registers: [registry],
  });
  const notes = new Counter({
    name: 'vigil_notifications_total',
    help: 'Notifications sent or failed',
    labelNames: ['notifier', 'result'],
    registers: [registry],
  });
  const depth = new Gauge({
    name: 'vigil_queue_depth',
    help: 'Jobs waiting, by job name',
    labelNames: ['queue'],
    registers: [registry],
  });
  const stalled = new Counter({
    name: 'vigil_jobs_stalled_total',
    help: 'Jobs whose worker stopped mid-job, by job name',
    labelNames: ['queue'],
    registers: [registry],
  });
  const bad = new Counter({
    name: 'vigil_bad_input_total',
    help: 'Input rejected or skipped, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'vigil_http_unauthorized_total',
    help: 'Requests refused 401 (missing or wrong token or signature), by route',
    labelNames: ['route'],
    registers: [registry],
  });
  const resumed = new Counter({
    name: 'vigil_detectors_resumed_total',
    help: "Series' detectors a pull job resumed, by where it found them: memory (kept between jobs), caught-up (kept, and fed what another process fed it since), store (restored), new",
    labelNames: ['from'],
    registers: [registry],
  });
  return {
    registry,
    pointsIngested: (source, n) => points.inc({ source }, n),
    anomaliesDetected: (n) => anomalies.inc(n),
    scoringSeconds: (seconds, n) => {
      if (n > 0) scoring.observe(seconds / n);
    },
    notification: (notifier, ok) => notes.inc({ notifier, result: ok ? 'sent' : 'failed' }),
    queueDepth: (name, waiting) => depth.set({ queue: name }, waiting),
    badInput: (kind) => bad.inc({ kind }),
    unauthorized: (route) => refused.inc({ route }),
    jobStalled: (name) => stalled.inc({ queue: name }),
    detectorResumed: (from) => resumed.inc({ from }),
  };
}
