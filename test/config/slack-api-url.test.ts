/** notify.slack.apiUrl from SLACK_API_URL, like the other Slack keys (issue 17). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'vigil-config-'));

describe('notify.slack.apiUrl', () => {
  it('is read from SLACK_API_URL', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:4000/api/' }, emptyDir()).notify.slack.apiUrl).toBe(
      'http://127.0.0.1:4000/api/',
    );
  });

  it('takes SLACK_API_URL over vigil.yaml, and the file when the variable is unset', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'vigil.yaml'), 'notify:\n  slack:\n    apiUrl: https://proxy.example.com/api/\n');
    expect(loadConfig({}, dir).notify.slack.apiUrl).toBe('https://proxy.example.com/api/');
    expect(loadConfig({ SLACK_API_URL: 'https://other.example.com/api/' }, dir).notify.slack.apiUrl).toBe(
      'https://other.example.com/api/',
    );
  });

  it("reads an empty SLACK_API_URL as unset (Slack's own address)", () => {
    expect(loadConfig({ SLACK_API_URL: '' }, emptyDir()).notify.slack.apiUrl).toBeNull();
  });

  it('refuses a value that is not an http(s) URL, naming the key and the variable', () => {
    let message = '';
    try {
      loadConfig({ SLACK_API_URL: 'slack.com/api' }, emptyDir());
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('notify.slack.apiUrl = "slack.com/api"');
    expect(message).toContain('SLACK_API_URL');
    expect(message).toContain('https://');
  });
});
