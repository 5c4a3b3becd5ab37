/** The remediation config key and VIGIL_REMEDIATION. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';

const cwd = mkdtempSync(join(tmpdir(), 'vigil-config-'));

describe('remediation config', () => {
  it('defaults to dry-run with the built-in playbooks directory and empty allowlists', () => {
    expect(loadConfig({}, cwd).remediation).toEqual({ mode: 'dry-run', playbooksDir: './playbooks', webhookHosts: [], localCommands: [], awsRegion: null });
  });

  it('VIGIL_REMEDIATION sets the mode; an unknown mode names the variable', () => {
    expect(loadConfig({ VIGIL_REMEDIATION: 'on' }, cwd).remediation.mode).toBe('on');
    expect(loadConfig({ VIGIL_REMEDIATION: 'off' }, cwd).remediation.mode).toBe('off');
    expect(() => loadConfig({ VIGIL_REMEDIATION: 'yes' }, cwd)).toThrow(/remediation\.mode = "yes" \(from VIGIL_REMEDIATION\)/);
  });
});
