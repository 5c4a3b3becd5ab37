/**
 * "Done when" of the metric-sources issue, as a user runs it: `vigil start`
 * with a vigil.yaml naming a real local Prometheus scores node_exporter
 * metrics continuously and survives a Prometheus restart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeWithPrometheus, startPrometheus, type RealPrometheus } from '../sources/prometheus/real-prometheus.js';

const BIN = resolve('bin/vigil.js');

async function scored(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/vigil_points_ingested_total\{source="prometheus"\} (\d+)/.exec(text)?.[1] ?? 0);
}

async function until(check: () => Promise<boolean>, what: string, tries = 120): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describeWithPrometheus('vigil start with a real Prometheus', () => {
  let prom: RealPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus();
  }, 60_000);
  afterAll(async () => {
    await prom.close();
  });

  it('scores node_exporter metrics continuously and survives a Prometheus restart', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vigil-start-prom-'));
    writeFileSync(
      join(cwd, 'vigil.yaml'),
      [
        'worker:',
        '  pullInterval: 1s',
        'sources:',
        '  prometheus:',
        `    url: ${prom.url}`,
        '    timeoutMs: 2000',
        '    queries:',
        '      - id: load1',
        '        promql: node_load1',
        '        stepSeconds: 1',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (!/^(DATABASE_URL|REDIS_URL|VIGIL_|LOG_LEVEL|NODE_OPTIONS$|PROMETHEUS_URL)/.test(k)) env[k] = v;
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd,
      env: { ...env, VIGIL_HTTP_PORT: '0', LOG_LEVEL: 'info' },
    });
    let log = '';
    child.stderr.on('data', (d) => {
      log += String(d);
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      let url = '';
      await until(async () => {
        url = /"url":"(http:\/\/[^"]+)".*"msg":"vigil started"/.exec(log)?.[1] ?? '';
        return url !== '';
      }, 'vigil started');
      await until(async () => (await scored(url)) > 0, 'first points scored');
      const before = await scored(url);
      await until(async () => (await scored(url)) > before, 'points keep coming');

      await prom.stop();
      await until(async () => log.includes('source prometheus is failing'), 'outage reported');
      await prom.restart();
      const afterRestart = await scored(url);
      await until(async () => (await scored(url)) > afterRestart, 'scoring after the restart');
      await until(async () => log.includes('source prometheus recovered'), 'recovery reported');
      expect(log.match(/source prometheus is failing/g)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
