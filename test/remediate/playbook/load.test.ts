/** The playbook loader, the built-in library and the committed JSON Schema. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ACTION_EFFECTS } from '../../../src/remediate/actions/catalog.js';
import { formatError, loadPlaybooks, parsePlaybook, playbookJsonSchema } from '../../../src/remediate/index.js';
import { HOSTILE } from '../helpers.js';

const BUILTIN = new URL('../../../playbooks/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'vigil-playbooks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const VALID = `name: scale-web
title: Scale web
runbook: |
  Scale out.
match:
  services: ["web-*"]
policy:
  approval: one
  approvers:
    users: [U1]
steps:
  - id: scale
    action: ecs.set-desired-count
    params:
      cluster: production
      service: web
      count: 4
`;

describe('built-in playbooks', () => {
  it('all load without an error: at least 8, each with runbook text and steps', async () => {
    const { playbooks, errors } = await loadPlaybooks(BUILTIN);
    expect(errors.map(formatError)).toEqual([]);
    expect(playbooks.length).toBeGreaterThanOrEqual(8);
    for (const p of playbooks) expect(p.runbook.length).toBeGreaterThan(100);
    const byName = new Map(playbooks.map((p) => [p.name, p]));
    expect(byName.get('throttling-raise-limits')?.policy.approval).toBe('two');
    expect(byName.get('deploy-regression-rollback')?.steps[0]).toMatchObject({
      action: 'codedeploy.stop-with-rollback',
      effect: 'write',
    });
    expect(byName.get('watch-for-recovery')?.policy.approval).toBe('auto');
  });

  it('the committed JSON Schema equals the generated one (run scripts/gen-playbook-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(BUILTIN, 'playbook.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(playbookJsonSchema())));
  });

  it('the action catalog and the implementations agree on names and effects', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(ACTION_EFFECTS).sort());
    for (const [name, action] of Object.entries(ACTIONS)) {
      expect([name, action.name, action.effect]).toEqual([
        name,
        name,
        ACTION_EFFECTS[name as keyof typeof ACTION_EFFECTS],
      ]);
    }
  });
});

describe('invalid playbooks', () => {
  it('are rejected naming file, line and field while the valid ones still load', async () => {
    const dir = mkdtempSync(join(tmp, 'mixed-'));
    copyFileSync(join(BUILTIN, 'cpu-saturation-scale-out.yaml'), join(dir, 'cpu.yaml'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      VALID.replace('name: scale-web', 'name: bad')
        .replace('      service: web', '      service: "web; rm -rf /"')
        .replace('  approval: one', '  approval: sometimes'),
    );
    const { playbooks, errors } = await loadPlaybooks(dir);
    expect(playbooks.map((p) => p.name)).toEqual(['cpu-saturation-scale-out']);
    expect(errors.map(formatError)).toEqual([
      `${join(dir, 'bad.yaml')}:8:13: policy.approval: Invalid option: expected one of "auto"|"one"|"two"`,
      expect.stringMatching(new RegExp(`^${join(dir, 'bad.yaml')}:16:16: steps\\.0\\.params\\.service: must match`)),
    ]);
  });

  it('an unknown field is named with its own line', () => {
    const { errors } = parsePlaybook(
      'x.yaml',
      VALID.replace('  services: ["web-*"]', '  services: ["web-*"]\n  colour: red'),
    );
    expect(errors).toEqual([
      { file: 'x.yaml', line: 7, col: 3, field: 'match.colour', message: 'unknown field "colour"' },
    ]);
  });

  it('a YAML syntax error names its line', () => {
    const { errors } = parsePlaybook('x.yaml', VALID.replace('  services: ["web-*"]', '  services: ["web-*"'));
    expect(errors[0]).toMatchObject({
      file: 'x.yaml',
      line: expect.any(Number),
      field: '',
      message: expect.stringMatching(/^YAML: /),
    });
    expect(errors[0]!.line).toBeGreaterThanOrEqual(6);
  });

  it('auto approval is refused for a playbook with a write step', () => {
    const { playbook, errors } = parsePlaybook('x.yaml', VALID.replace('  approval: one', '  approval: auto'));
    expect(playbook).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        line: 13,
        field: 'steps.0.action',
        message: expect.stringContaining('auto approval is only for read-only playbooks'),
      }),
    ]);
  });

  it('a human policy needs at least one approver', () => {
    const { errors } = parsePlaybook('x.yaml', VALID.replace('  approvers:\n    users: [U1]\n', ''));
    expect(errors).toEqual([
      expect.objectContaining({ field: 'policy.approvers', message: 'name at least one approving user or group' }),
    ]);
  });

  it.each(HOSTILE.map((h, i) => [i, h]))('hostile identifier #%i is refused at load, naming line 16', (_i, bad) => {
    const { playbook, errors } = parsePlaybook(
      'x.yaml',
      VALID.replace('      service: web', `      service: ${JSON.stringify(bad)}`),
    );
    expect(playbook).toBeNull();
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject({ field: 'steps.0.params.service', line: 16 });
  });

  it('a playbook name used twice is an error in the second file', async () => {
    const dir = mkdtempSync(join(tmp, 'dup-'));
    writeFileSync(join(dir, 'a.yaml'), VALID);
    writeFileSync(join(dir, 'b.yaml'), VALID);
    const { playbooks, errors } = await loadPlaybooks(dir);
    expect(playbooks).toHaveLength(1);
    expect(errors).toEqual([
      expect.objectContaining({
        file: join(dir, 'b.yaml'),
        field: 'name',
        message: expect.stringContaining('already used by'),
      }),
    ]);
  });
});
