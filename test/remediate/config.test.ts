/** The remediation config key and VIGIL_REMEDIATION. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { BUILTIN_PLAYBOOKS, loadConfig } from '../../src/config/index.js';

const cwd = mkdtempSync(join(tmpdir(), 'vigil-config-'));

describe('remediation config', () => {
  it('defaults to dry-run with the built-in playbooks directory and empty allowlists', () => {
    expect(loadConfig({}, cwd).remediation).toEqual({
      mode: 'dry-run',
      playbooksDir: BUILTIN_PLAYBOOKS,
      webhookHosts: [],
      localCommands: [],
      awsRegion: null,
    });
  });

  it('the default is the shipped playbooks folder, absolute, whatever the working directory', () => {
    expect(isAbsolute(BUILTIN_PLAYBOOKS)).toBe(true);
    expect(existsSync(join(BUILTIN_PLAYBOOKS, 'deploy-regression-rollback.yaml'))).toBe(true);
  });

  it('a relative playbooksDir in vigil.yaml is relative to that file, not to the working directory', () => {
    const conf = mkdtempSync(join(tmpdir(), 'vigil-conf-'));
    mkdirSync(join(conf, 'etc'));
    writeFileSync(join(conf, 'etc', 'vigil.yaml'), 'remediation:\n  playbooksDir: ../books\n');
    expect(loadConfig({ VIGIL_CONFIG: join(conf, 'etc', 'vigil.yaml') }, cwd).remediation.playbooksDir).toBe(
      join(conf, 'books'),
    );
    writeFileSync(join(conf, 'etc', 'vigil.yaml'), 'remediation:\n  playbooksDir: /srv/books\n');
    expect(loadConfig({ VIGIL_CONFIG: join(conf, 'etc', 'vigil.yaml') }, cwd).remediation.playbooksDir).toBe(
      '/srv/books',
    );
  });

  it('VIGIL_REMEDIATION sets the mode; an unknown mode names the variable', () => {
    expect(loadConfig({ VIGIL_REMEDIATION: 'on' }, cwd).remediation.mode).toBe('on');
    expect(loadConfig({ VIGIL_REMEDIATION: 'off' }, cwd).remediation.mode).toBe('off');
    expect(() => loadConfig({ VIGIL_REMEDIATION: 'yes' }, cwd)).toThrow(
      /remediation\.mode = "yes" \(from VIGIL_REMEDIATION\)/,
    );
  });
});
