/** Which built-in playbooks an incident gets offered, most specific first. */
import { loadPlaybooks, recommend } from '../../src/remediate/index.js';
import { incident } from './helpers.js';

const BUILTIN = new URL('../../playbooks/', import.meta.url).pathname;

describe('recommend', () => {
  let playbooks: Awaited<ReturnType<typeof loadPlaybooks>>['playbooks'];
  beforeAll(async () => { ({ playbooks } = await loadPlaybooks(BUILTIN)); });

  it('an error regression with a suspected deploy gets the rollback first, with its reasons', () => {
    const matches = recommend(playbooks, incident());
    expect(matches[0]).toMatchObject({
      playbook: 'deploy-regression-rollback', approval: 'one',
      reasons: ['metric http_5xx_rate', 'level shift', 'severity high', 'deploy d-ABCDEF123 suspected'],
    });
    expect(matches.map((m) => m.playbook)).toContain('watch-for-recovery');
    expect(matches.map((m) => m.playbook)).not.toContain('cpu-saturation-scale-out');
  });

  it('without a suspect the rollback is not offered; CPU saturation gets scale-out', () => {
    const cpu = incident({ suspect: null, headline: { ...incident().headline, metric: 'AWS/EC2/CPUUtilization:p95', kind: 'trend' } });
    const names = recommend(playbooks, cpu).map((m) => m.playbook);
    expect(names[0]).toBe('cpu-saturation-scale-out');
    expect(names).not.toContain('deploy-regression-rollback');
  });

  it('severity below the minimum and label mismatches exclude a playbook', () => {
    const low = incident({ severity: 'low' });
    expect(recommend(playbooks, low).map((m) => m.playbook)).not.toContain('deploy-regression-rollback');
    const watch = playbooks.find((p) => p.name === 'watch-for-recovery')!;
    const withLabels = [{ ...watch, match: { ...watch.match, labels: { env: 'prod*' } } }];
    expect(recommend(withLabels, incident(), { env: 'staging' })).toEqual([]);
    expect(recommend(withLabels, incident(), { env: 'production' })).toHaveLength(1);
  });
});
