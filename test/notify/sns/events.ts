/** Incident and verdict events for the SNS tests. */
import type { Deployment, DeployVerdict, Incident, TimelineEntry } from '../../../src/domain/index.js';
import type { NotifyEvent, VerdictEvent } from '../../../src/notify/index.js';

export const T0 = Date.UTC(2026, 0, 5, 10, 0);
export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vigil-incidents';
export const FIFO_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vigil-incidents.fifo';

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc_checkout_1',
    service: 'checkout',
    status: 'open',
    severity: 'high',
    openedAt: T0,
    lastAnomalyAt: T0 + 120_000,
    resolvedAt: null,
    seriesKeys: ['sim:latency_p99{service="checkout"}'],
    anomalyCount: 4,
    headline: {
      seriesKey: 'sim:latency_p99{service="checkout"}',
      metric: 'latency_p99',
      t: T0,
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
  startedAt: T0 - 240_000,
  finishedAt: null,
  status: 'succeeded',
  actor: 'ci',
  source: 'api',
  url: 'https://ci.example.com/runs/42',
  strategy: null,
};

export const opened: TimelineEntry = { at: T0, kind: 'opened', text: 'opened: latency_p99 level shift' };

export function event(over: Partial<NotifyEvent> = {}, inc: Partial<Incident> = {}): NotifyEvent {
  return { kind: 'opened', incident: incident(inc), timeline: [opened], suspect: deploy, playbook: null, ...over };
}

export const verdict: DeployVerdict = {
  deploymentId: 'dep-42',
  service: 'checkout',
  outcome: 'fail',
  decidedAt: T0 + 1_800_000,
  summary: 'fail: p99 latency rose 7.5x (p<0.001)',
  shifts: [
    {
      seriesKey: 'sim:latency_p99{service="checkout"}',
      metric: 'latency_p99',
      beforeMedian: 120,
      afterMedian: 900,
      beforeCount: 30,
      afterCount: 30,
      pValue: 0.0004,
      effect: 0.9,
      moved: true,
      worse: true,
    },
  ],
};

export const verdictEvent: VerdictEvent = { verdict, deployment: deploy };
