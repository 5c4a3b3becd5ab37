/** `vigil playbooks validate|list` as a real process: exit codes and file:line:field output. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../../bin/vigil.js', import.meta.url).pathname;
const BUILTIN = new URL('../../../playbooks/', import.meta.url).pathname;

function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmpdir() }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('vigil playbooks', () => {
  it('validate passes on the built-in library and list names every playbook', async () => {
    const ok = await vigil('playbooks', 'validate', BUILTIN);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(/^\d+ playbooks valid\n$/);
    const list = await vigil('playbooks', 'list', BUILTIN);
    expect(list.stdout).toMatch(/throttling-raise-limits\s+two/);
  });

  it('validate exits 1 and lists every error as file:line:col: field: message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-playbooks-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'name: Bad Name\ntitle: t\nrunbook: r\nmatch: {}\npolicy: { approval: auto }\nsteps:\n  - id: x\n    action: local.command\n    params: { command: "rm -rf /; id" }\n',
    );
    const r = await vigil('playbooks', 'validate', dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${join(dir, 'bad.yaml')}:1:7: name: lowercase letters, digits and dashes (at most 63)`,
      `${join(dir, 'bad.yaml')}:8:13: steps.0.action: auto approval is only for read-only playbooks; local.command writes`,
      `${join(dir, 'bad.yaml')}:9:24: steps.0.params.command: an executable name or path (letters, digits, _ . / -)`,
    ]);
    expect(r.stdout).toBe('0 playbooks valid, 1 files invalid (3 errors)\n');
  });
});
