import type { Deployment, Incident } from '../../../src/domain/index.js';
import { renderEvent } from '../../../src/notify/console/index.js';

const incident: Incident = {
  id: 'inc-checkout-1',
  service: 'checkout',
  status: 'open',
  severity: 'high',
  openedAt: Date.UTC(2026, 0, 5, 10, 0),
  lastAnomalyAt: Date.UTC(2026, 0, 5, 10, 7),
  resolvedAt: null,
  seriesKeys: ['sim:latency_p95_ms{service="checkout"}', 'sim:error_rate{service="checkout"}'],
  anomalyCount: 6,
  headline: {
    seriesKey: 'sim:error_rate{service="checkout"}',
    metric: 'error_rate',
    t: Date.UTC(2026, 0, 5, 10, 1),
    observed: 0.0021,
    expected: 0.0017,
    band: [0.0012, 0.0019],
    kind: 'level_shift',
    score: 0.97,
  },
  suspect: null,
};

describe('console rendering', () => {
  it('says what, where, since when and expected vs observed', () => {
    const text = renderEvent({ kind: 'opened', incident, timeline: [], suspect: null });
    expect(text).toContain('OPENED [high] checkout');
    expect(text).toContain('since    2026-01-05 10:00 UTC');
    expect(text).toContain('0.0021 vs expected 0.0017 (+24%)');
    expect(text).toContain('2 series');
    expect(text).toContain('no deploy suspected');
    expect(text).not.toContain('\x1b[');
  });

  it('names the suspected deploy with its confidence and reason', () => {
    const deploy: Deployment = {
      id: 'd-42',
      service: 'checkout',
      environment: 'prod',
      version: 'v1.4.2',
      startedAt: Date.UTC(2026, 0, 5, 9, 58),
      finishedAt: null,
      status: 'succeeded',
      actor: 'alice',
      source: 'api',
      url: null,
      strategy: 'rolling',
    };
    const text = renderEvent({
      kind: 'updated',
      incident: {
        ...incident,
        suspect: { deploymentId: 'd-42', confidence: 0.82, reason: 'error_rate shifted 2 min after the deploy' },
      },
      timeline: [],
      suspect: deploy,
    });
    expect(text).toContain(
      'deploy d-42 (v1.4.2) at 2026-01-05 09:58 UTC, confidence 82%: error_rate shifted 2 min after the deploy',
    );
  });

  it('shows the recommended playbook, and none when there is none', () => {
    const text = renderEvent({
      kind: 'opened',
      incident,
      timeline: [],
      suspect: null,
      playbook: { name: 'deploy-regression-rollback', title: 'Roll back the suspected deploy' },
    });
    expect(text).toContain(
      '  playbook deploy-regression-rollback: Roll back the suspected deploy (recommended; run it with /vigil run deploy-regression-rollback inc-checkout-1)',
    );
    expect(renderEvent({ kind: 'opened', incident, timeline: [], suspect: null, playbook: null })).not.toContain(
      'playbook',
    );
  });

  it('an incident other services joined says where the change started and who felt it after', () => {
    const t = incident.openedAt;
    const text = renderEvent({
      kind: 'updated',
      incident: { ...incident, services: ['checkout', 'db'], onsets: { db: t, checkout: t + 2 * 60_000 } },
      timeline: [],
      suspect: null,
    });
    expect(text).toContain('  spread   started on db; then checkout (+2 min)');
    expect(renderEvent({ kind: 'opened', incident, timeline: [], suspect: null })).not.toContain('spread');
  });

  it('summarises a resolution in one line', () => {
    const text = renderEvent({
      kind: 'resolved',
      incident: { ...incident, status: 'resolved', resolvedAt: Date.UTC(2026, 0, 5, 10, 37) },
      timeline: [],
      suspect: null,
    });
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain('RESOLVED [high] checkout — error_rate; open 37m, 6 anomalies');
  });
});
