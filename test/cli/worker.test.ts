/**
 * `vigil worker` with REDIS_URL but no DATABASE_URL refuses to start (issue
 * 16: it opened its own embedded store, or the one `vigil start` had open).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkWorkerConfig } from '../../src/main.js';
import { loadConfig } from '../../src/config/index.js';

const BIN = resolve('bin/vigil.js');
const cwd = () => mkdtempSync(join(tmpdir(), 'vigil-worker-'));

describe('vigil worker', () => {
  it('refuses REDIS_URL without DATABASE_URL before opening anything, saying to set DATABASE_URL', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }, cwd());
    expect(() => checkWorkerConfig(config)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: expect.stringContaining('DATABASE_URL') }),
    );
    expect(() =>
      checkWorkerConfig(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://h/db' }, cwd())),
    ).not.toThrow();
    // No REDIS_URL: a worker alone on the embedded defaults (it warns that it sees only its own jobs).
    expect(() => checkWorkerConfig(loadConfig({}, cwd()))).not.toThrow();
  });

  it('as a real process: exits 2 with one line naming the fix, without connecting to Redis or opening a store', async () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(DATABASE_URL|REDIS_URL|VIGIL_|SLACK_|LOG_LEVEL|NODE_OPTIONS$)/.test(k)) env[k] = v;
    }
    // Port 1: nothing listens, so reaching Redis at all would fail differently (E_QUEUE_CONNECT, exit 1).
    env.REDIS_URL = 'redis://127.0.0.1:1';
    const dir = cwd();
    const child = spawn(process.execPath, [BIN, 'worker'], { cwd: dir, env });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('DATABASE_URL is not');
    expect(stderr).toContain('[E_CONFIG]');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, '.vigil'))).toBe(false);
  });
});
