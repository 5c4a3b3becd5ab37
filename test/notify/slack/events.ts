/** Notify events for Slack tests. */
import type { Deployment, Incident } from '../../../src/domain/index.js';
import type { NotifyEvent } from '../../../src/notify/index.js';

export function incident(over: Partial<Incident> = {}): Incident {
  const openedAt = Date.UTC(2026, 0, 5, 10, 0);
  return {
    id: 'inc_checkout_1',
    service: 'checkout',
    status: 'open',
    severity: 'high',
    openedAt,
    lastAnomalyAt: openedAt + 120_000,
    resolvedAt: null,
    seriesKeys: ['sim:latency_p99{service="checkout"}'],
    anomalyCount: 4,
    headline: {
      seriesKey: 'sim:latency_p99{service="checkout"}',
      metric: 'latency_p99',
      t: openedAt,
      observed: 900,
      expected: 120,
      band: [80, 160],
      kind: 'level_shift',
      score: 0.97,
    },
    suspect: { deploymentId: 'dep-42', confidence: 0.82, reason: 'checkout v42 started 4 min before onset' },
    ...over,
  };
}

export const deploy: Deployment = {
  id: 'dep-42',
  service: 'checkout',
  environment: 'prod',
  version: 'v42',
  startedAt: Date.UTC(2026, 0, 5, 9, 56),
  finishedAt: null,
  status: 'succeeded',
  actor: 'ci',
  source: 'api',
  url: null,
  strategy: null,
};

export function event(over: Partial<NotifyEvent> = {}, inc: Partial<Incident> = {}): NotifyEvent {
  return { kind: 'opened', incident: incident(inc), timeline: [], suspect: deploy, ...over };
}
