/**
 * Which built-in playbook an incident gets, and the reason given: one row
 * per playbook in playbooks/ (a test fails when a playbook has no row), the
 * fallback, and the whole-incident cases (a non-headline series decides,
 * a suspect deploy beats a symptom fix).
 */
import { readdirSync } from 'node:fs';
import type { AnomalyKind, Deployment, Incident } from '../../src/domain/index.js';
import { isRollback, loadPlaybooks, recommend } from '../../src/remediate/index.js';
import type { IncidentFacts } from '../../src/remediate/types.js';
import { incident, T0 } from './helpers.js';

const BUILTIN = new URL('../../playbooks/', import.meta.url).pathname;

const deploy = (id: string, source: string): Deployment => ({
  id,
  service: 'api',
  environment: 'production',
  version: 'v8',
  startedAt: T0 - 120_000,
  finishedAt: null,
  status: 'succeeded',
  actor: null,
  source,
  url: null,
  strategy: null,
});
/** An incident whose headline is `metric` moving from `expected` to `observed`, with or without a suspect deploy. */
function inc(
  metric: string,
  kind: AnomalyKind,
  expected: number,
  observed: number,
  over: Partial<Incident> = {},
): Incident {
  return incident({
    service: 'api',
    severity: 'high',
    seriesKeys: [`s:${metric}`],
    suspect: null,
    headline: {
      seriesKey: `s:${metric}`,
      metric,
      t: T0,
      observed,
      expected,
      band: [expected * 0.8, expected * 1.2],
      kind,
      score: 0.9,
    },
    ...over,
  });
}
const suspect = (id: string) => ({
  suspect: { deploymentId: id, confidence: 0.8, reason: 'started 2 min before onset' },
});

interface Row {
  readonly playbook: string;
  readonly incident: Incident;
  readonly facts?: IncidentFacts;
  readonly reason: string;
}

const ROWS: Row[] = [
  {
    playbook: 'deploy-regression-rollback',
    incident: inc('latency_p95_ms', 'level_shift', 56, 140, suspect('api-8')),
    facts: { deployment: deploy('api-8', 'codedeploy') },
    reason: 'suspected deploy api-8 (CodeDeploy) -> deploy-regression-rollback',
  },
  {
    playbook: 'lambda-deploy-rollback',
    incident: inc('AWS/Lambda/Errors', 'spike', 1, 40, suspect('fn-3')),
    facts: { deployment: deploy('fn-3', 'api') },
    reason: 'suspected deploy fn-3 (Lambda) -> lambda-deploy-rollback',
  },
  {
    playbook: 'kubernetes-rollout-undo',
    incident: inc('http_5xx_rate', 'level_shift', 0.01, 0.07, suspect('argocd-web-1')),
    facts: { deployment: deploy('argocd-web-1', 'argocd') },
    reason: 'suspected deploy argocd-web-1 (Kubernetes) -> kubernetes-rollout-undo',
  },
  {
    playbook: 'deploy-rollback-webhook',
    incident: inc('error_rate', 'level_shift', 0.01, 0.07, suspect('github-77')),
    facts: { deployment: deploy('github-77', 'github') },
    reason: 'suspected deploy github-77 (GitHub) -> deploy-rollback-webhook',
  },
  {
    playbook: 'throttling-raise-limits',
    incident: inc('AWS/Lambda/Throttles', 'variance', 3, 45),
    reason: 'AWS/Lambda/Throttles variance going up (45 vs expected 3) -> throttling-raise-limits',
  },
  {
    playbook: 'memory-leak-rolling-restart',
    incident: inc('memory_rss_mb', 'trend', 1200, 2100),
    reason: 'memory_rss_mb trend going up (2100 vs expected 1200) -> memory-leak-rolling-restart',
  },
  {
    playbook: 'cpu-saturation-scale-out',
    incident: inc('cpu_pct', 'level_shift', 20.3, 92.1),
    reason:
      'no deploy suspected, cpu_pct level shift going up (92.1 vs expected 20.3), severity high -> cpu-saturation-scale-out',
  },
  {
    playbook: 'dependency-failover',
    incident: inc('upstream_timeout_rate', 'spike', 0.1, 9),
    reason: 'upstream_timeout_rate spike (9 vs expected 0.1), severity high -> dependency-failover',
  },
  {
    playbook: 'disk-filling-cleanup',
    incident: inc('disk_used_pct', 'trend', 60, 91),
    reason: 'disk_used_pct trend going up (91 vs expected 60) -> disk-filling-cleanup',
  },
  {
    playbook: 'queue-backlog-scale-consumers',
    incident: inc('AWS/SQS/ApproximateNumberOfMessagesVisible', 'level_shift', 100, 9000),
    reason:
      'AWS/SQS/ApproximateNumberOfMessagesVisible level shift going up (9000 vs expected 100) -> queue-backlog-scale-consumers',
  },
  {
    playbook: 'certificate-renew',
    incident: inc('AWS/CertificateManager/DaysToExpiry', 'dip', 60, 5),
    reason: 'AWS/CertificateManager/DaysToExpiry dip going down (5 vs expected 60) -> certificate-renew',
  },
  {
    playbook: 'watch-for-recovery',
    incident: inc('requests_per_s', 'dip', 200, 120),
    reason: 'nothing more specific matched -> watch-for-recovery',
  },
];

describe('recommend', () => {
  let playbooks: Awaited<ReturnType<typeof loadPlaybooks>>['playbooks'];
  beforeAll(async () => {
    const loaded = await loadPlaybooks(BUILTIN);
    expect(loaded.errors).toEqual([]);
    playbooks = loaded.playbooks;
  });

  it('has a row for every built-in playbook', () => {
    const files = readdirSync(BUILTIN)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
    expect(ROWS.map((r) => r.playbook).sort()).toEqual(files);
  });

  it.each(ROWS)('$playbook', ({ playbook, incident: i, facts, reason }) => {
    const [best] = recommend(playbooks, i, facts);
    expect(best).toMatchObject({ playbook, reason });
  });

  it('whole incident: a memory trend on a non-headline series gets the rolling restart', () => {
    const i = inc('latency_p95_ms', 'level_shift', 56, 57.4, { seriesKeys: ['s:latency_p95_ms', 's:memory_rss_mb'] });
    const anomalies = [
      { seriesKey: 's:memory_rss_mb', metric: 'memory_rss_mb', kind: 'trend' as const, observed: 2100, expected: 1200 },
    ];
    expect(recommend(playbooks, i)[0]?.playbook).toBe('watch-for-recovery');
    expect(recommend(playbooks, i, { anomalies })[0]).toMatchObject({
      playbook: 'memory-leak-rolling-restart',
      reason: expect.stringContaining('memory_rss_mb trend'),
    });
  });

  it('a deploy-caused memory leak gets the rollback of its platform, not the restart', () => {
    const i = inc('memory_rss_mb', 'trend', 1200, 2100, suspect('codedeploy-d-ABCDEF123'));
    const names = recommend(playbooks, i, { deployment: deploy('codedeploy-d-ABCDEF123', 'codedeploy') }).map(
      (m) => m.playbook,
    );
    expect(names.slice(0, 2)).toEqual(['deploy-regression-rollback', 'memory-leak-rolling-restart']);
    expect(names).not.toContain('lambda-deploy-rollback');
  });

  it('a platform label overrides the reporting system; a deploy from the simulator is generic', () => {
    const i = inc('error_rate', 'level_shift', 0.01, 0.07, suspect('sim-1'));
    expect(
      recommend(playbooks, i, { deployment: deploy('sim-1', 'api'), labels: { platform: 'kubernetes' } })[0]?.playbook,
    ).toBe('kubernetes-rollout-undo');
    expect(recommend(playbooks, i, { deployment: deploy('sim-1', 'simulator') })[0]).toMatchObject({
      playbook: 'deploy-rollback-webhook',
      reason: 'suspected deploy sim-1 (reported by simulator) -> deploy-rollback-webhook',
    });
  });

  it('throttles going down, and severity below the minimum, exclude a playbook; label rules must hold', () => {
    expect(recommend(playbooks, inc('AWS/Lambda/Throttles', 'dip', 45, 3)).map((m) => m.playbook)).not.toContain(
      'throttling-raise-limits',
    );
    expect(
      recommend(playbooks, inc('cpu_pct', 'level_shift', 20, 92, { severity: 'low' })).map((m) => m.playbook),
    ).not.toContain('cpu-saturation-scale-out');
    const watch = playbooks.find((p) => p.name === 'watch-for-recovery')!;
    const withLabels = [{ ...watch, match: { ...watch.match, labels: { env: 'prod*' } } }];
    expect(recommend(withLabels, incident(), { labels: { env: 'staging' } })).toEqual([]);
    expect(recommend(withLabels, incident(), { labels: { env: 'production' } })[0]?.reason).toBe(
      'env=production -> watch-for-recovery',
    );
  });

  it('counts as rollbacks exactly the built-in playbooks that undo the suspected deploy', () => {
    expect(
      playbooks
        .filter(isRollback)
        .map((p) => p.name)
        .sort(),
    ).toEqual([
      'deploy-regression-rollback',
      'deploy-rollback-webhook',
      'kubernetes-rollout-undo',
      'lambda-deploy-rollback',
    ]);
    const watch = playbooks.find((p) => p.name === 'watch-for-recovery')!;
    expect(isRollback({ match: { ...watch.match, platforms: ['lambda'] } })).toBe(true);
    expect(isRollback({ match: { ...watch.match, platforms: ['lambda'], deploySuspected: false } })).toBe(false);
    expect(isRollback({ match: { ...watch.match, deploySuspected: true } })).toBe(true);
  });
});
