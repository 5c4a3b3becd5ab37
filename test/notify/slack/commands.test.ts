import { parseCommand } from '../../../src/notify/slack/commands.js';

test.each([
  ['', { name: 'help' }],
  ['help', { name: 'help' }],
  ['STATUS', { name: 'status' }],
  ['incidents', { name: 'incidents' }],
  ['show inc_1', { name: 'show', incidentId: 'inc_1' }],
  ['<@U123ABC> ack inc_1', { name: 'ack', incidentId: 'inc_1' }],
  ['resolve inc_1', { name: 'resolve', incidentId: 'inc_1' }],
  [
    'silence checkout 2h deploy window',
    { name: 'silence', target: { kind: 'service', value: 'checkout' }, durationMs: 7_200_000, reason: 'deploy window' },
  ],
  [
    'silence prom:latency{service="api", zone="eu"} 15m',
    {
      name: 'silence',
      target: { kind: 'series', value: 'prom:latency{service="api", zone="eu"}' },
      durationMs: 900_000,
      reason: null,
    },
  ],
  ['unsilence sil_1', { name: 'unsilence', silenceId: 'sil_1' }],
  ['deploys', { name: 'deploys', service: null }],
  ['deploys checkout', { name: 'deploys', service: 'checkout' }],
  ['verdict dep-42', { name: 'verdict', deploymentId: 'dep-42' }],
  ['explain sim:cpu{service=“api”}', { name: 'explain', seriesKey: 'sim:cpu{service="api"}' }],
  ['run rollback', { name: 'run', playbook: 'rollback', incidentId: null }],
  ['run rollback inc_1', { name: 'run', playbook: 'rollback', incidentId: 'inc_1' }],
  ['unfeedback fb_1', { name: 'unfeedback', feedbackId: 'fb_1' }],
  ['show <http://x.example/inc_1|inc_1>', { name: 'show', incidentId: 'inc_1' }],
])('%j parses', (text, expected) => {
  expect(parseCommand(text)).toEqual(expected);
});

test.each([
  ['frobnicate now', 'unknown command `frobnicate`'],
  ['show', '`show` needs an incident id'],
  ['silence checkout', '`silence` needs a service or series and a duration, e.g. `silence checkout 2h`'],
  ['silence checkout soon', '`soon` is not a duration from 1s to 30d (e.g. 90s, 15m, 2h, 1d)'],
  ['silence checkout 90d', '`90d` is not a duration from 1s to 30d (e.g. 90s, 15m, 2h, 1d)'],
  ['run', '`run` needs a playbook name'],
])('%j is usage help, not an error', (text, problem) => {
  expect(parseCommand(text)).toEqual({ name: 'usage', problem });
});

test('arbitrary input never throws', () => {
  for (const text of ['{', '}}}', '<', '<@', 'silence {a b', '\u0000', 'x'.repeat(10_000), 'silence a -5m']) {
    expect(() => parseCommand(text)).not.toThrow();
  }
});
