/**
 * The commands as a user runs them: real processes, real HTTP, real signals.
 * Each runs in a temp directory with a clean environment (no DATABASE_URL,
 * REDIS_URL or Slack token), i.e. on the embedded defaults.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv } from './support/env.js';

const BIN = resolve('bin/vigil.js');

function run(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: mkdtempSync(join(tmpdir(), 'vigil-cli-')), env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('vigil demo', () => {
  it('runs the simulated fleet on embedded defaults and ends with a JSON summary', async () => {
    const p = run(['demo', '--duration', '30m', '--seed', '2', '--json'], cleanEnv());
    expect(await p.exited).toBe(0);
    const last = p.out().trim().split('\n').pop()!;
    const summary = JSON.parse(last) as {
      incidents: Array<{ matches: string | null }>;
      injected: Array<{ causedBy: string | null; detectedBy: string | null }>;
      anomalies: number;
      points: number;
      seconds: number;
    };
    expect(summary.points).toBeGreaterThan(30_000);
    expect(summary.anomalies).toBeGreaterThan(0);
    const regressions = summary.injected.filter((e) => e.causedBy !== null);
    expect(regressions.length).toBeGreaterThan(0);
    expect(regressions.filter((e) => e.detectedBy !== null).length).toBeGreaterThanOrEqual(
      Math.ceil(regressions.length / 2),
    );
    expect(summary.incidents.some((i) => i.matches !== null)).toBe(true);
  });

  it('refuses a bad option with one clear line', async () => {
    const p = run(['demo', '--duration', 'soon'], cleanEnv());
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain('--duration soon: expected a duration');
  });
});

describe('vigil start', () => {
  it('serves health and metrics, and shuts down cleanly on SIGTERM', async () => {
    const p = run(['start'], cleanEnv({ VIGIL_HTTP_PORT: '0', LOG_LEVEL: 'info' }));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setInterval(() => {
        const m = /"url":"(http:\/\/[^"]+)".*"msg":"vigil started"/.exec(p.err());
        if (m?.[1]) {
          clearInterval(timer);
          resolveUrl(m[1]);
        }
      }, 100);
      void p.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`exited early (${code}): ${p.err()}`));
      });
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('vigil_points_ingested_total');
    // Inbound APIs are mounted and, with no token configured, refuse with 403.
    for (const path of ['/api/v1/metrics', '/api/v1/deployments', '/webhooks/github']) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect([path, res.status]).toEqual([path, 403]);
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.err()).toContain('shutting down');
  });

  it('stops at start-up on an unknown config key, naming it', async () => {
    const p = run(['start'], cleanEnv({ VIGIL_HTTP_PROT: '80' }));
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain('unknown environment variable VIGIL_HTTP_PROT');
    expect(p.err().trim().split('\n')).toHaveLength(1);
  });
});

describe('vigil sources test', () => {
  it('shows each configured query, its series and services', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vigil-src-'));
    writeFileSync(join(cwd, 'vigil.yaml'), 'sources:\n  simulator:\n    enabled: true\n    services: 2\n');
    const p = run(
      ['sources', 'test', '--window', '30m', '--json'],
      cleanEnv({ VIGIL_CONFIG: join(cwd, 'vigil.yaml') }),
    );
    expect(await p.exited).toBe(0);
    const out = JSON.parse(p.out().trim().split('\n').pop()!) as {
      queries: Array<{ ok: boolean; series: Array<{ service: string; points: number }> }>;
    };
    // two services and the database the simulated fleet shares
    expect(out.queries).toHaveLength(3);
    expect(out.queries.every((q) => q.ok && q.series.length === 5)).toBe(true);
    expect([...new Set(out.queries.flatMap((q) => q.series.map((s) => s.service)))]).toEqual([
      'checkout',
      'payments',
      'database',
    ]);
    expect(out.queries[0]!.series[0]!.points).toBeGreaterThan(20);
  });
});
