/** Shared fixtures for the remediation tests: an incident and an ActionContext without I/O. */
import type { Anomaly, Incident } from '../../src/domain/index.js';
import type { ActionContext } from '../../src/remediate/types.js';

export const T0 = 1_700_000_000_000;

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    service: 'checkout',
    status: 'open',
    severity: 'high',
    openedAt: T0,
    lastAnomalyAt: T0,
    resolvedAt: null,
    seriesKeys: ['prom:checkout:http_5xx_rate'],
    anomalyCount: 3,
    headline: {
      seriesKey: 'prom:checkout:http_5xx_rate',
      metric: 'http_5xx_rate',
      t: T0,
      observed: 12,
      expected: 1,
      band: [0, 2],
      kind: 'level_shift',
      score: 0.9,
    },
    suspect: { deploymentId: 'd-ABCDEF123', confidence: 0.8, reason: 'checkout v42 started 4 min before onset' },
    ...over,
  };
}

export function ctx(over: Partial<ActionContext> = {}, anomalies: Anomaly[] = []): ActionContext {
  return {
    runId: 'run-1',
    stepId: 'step-1',
    incident: incident(),
    signal: new AbortController().signal,
    awsRegion: 'eu-west-1',
    webhookHosts: [],
    localCommands: [],
    store: { listAnomalies: async () => anomalies, getDeployment: async () => null, listPoints: async () => [] },
    now: () => T0,
    sleep: async () => undefined,
    ...over,
  };
}

/** Hostile values that must be refused by identifier params or stay inert argv/data. */
export const HOSTILE = [
  '; rm -rf /',
  '$(reboot)',
  '`id`',
  'web\nrm -rf /',
  'a'.repeat(10_000),
  '--kubeconfig=/etc/passwd',
  '../../etc',
  'web && curl evil',
];
