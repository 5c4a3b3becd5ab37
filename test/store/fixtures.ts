/** Builders for store tests: valid domain objects with unique ids, overridable per test. */
import { randomBytes } from 'node:crypto';
import type { Anomaly, AuditEntry, Deployment, Incident } from '../../src/domain/index.js';

/** Short random tag, so tests sharing one store never see each other's rows. */
export const uid = (): string => randomBytes(4).toString('hex');

export function anomaly(seriesKey: string, t: number, over: Partial<Anomaly> = {}): Anomaly {
  return {
    seriesKey,
    service: 'checkout',
    metric: 'latency_p99',
    t,
    observed: 812.5,
    expected: 120.25,
    band: [80, 160.5],
    score: 0.97,
    kind: 'spike',
    ...over,
  };
}

export function incident(service: string, over: Partial<Incident> = {}): Incident {
  const openedAt = over.openedAt ?? 1_700_000_000_000;
  return {
    id: `inc-${uid()}`,
    service,
    status: 'open',
    severity: 'high',
    openedAt,
    lastAnomalyAt: openedAt + 60_000,
    resolvedAt: null,
    seriesKeys: [`sim:latency{service="${service}"}`],
    anomalyCount: 3,
    headline: {
      seriesKey: `sim:latency{service="${service}"}`,
      metric: 'latency',
      t: openedAt,
      observed: 900,
      expected: 100,
      band: [50, 150],
      kind: 'level_shift',
      score: 0.99,
    },
    suspect: { deploymentId: 'dep-1', confidence: 0.8, reason: 'deployed 2m before the first anomaly' },
    ...over,
  };
}

export function deployment(service: string, startedAt: number, over: Partial<Deployment> = {}): Deployment {
  return {
    id: `dep-${uid()}`,
    service,
    environment: 'prod',
    version: 'v1.2.3',
    startedAt,
    finishedAt: startedAt + 90_000,
    status: 'succeeded',
    actor: 'alice',
    source: 'github',
    url: 'https://example.test/deploy/1',
    strategy: 'rolling',
    ...over,
  };
}

export function audit(at: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at,
    actor: 'U123',
    action: 'restart-service',
    target: 'checkout',
    params: { replicas: 3, nested: { dryRun: false, tags: ['a', 'b'] } },
    result: 'ok',
    detail: null,
    ...over,
  };
}
