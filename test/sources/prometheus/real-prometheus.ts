/**
 * A real Prometheus scraping a real node_exporter, for tests.
 *
 * Contract: `startPrometheus()` starts `prometheus-node-exporter` and
 * `prometheus` (scrape interval 1 s) on free loopback ports with a fresh
 * temporary config and TSDB, and resolves once Prometheus is ready and has
 * scraped the exporter at least `minScrapes` times. `stop()`/`restart()` end
 * or bring back Prometheus on the same port and TSDB; `close()` kills both
 * and removes the temporary directory. With CI=true missing binaries fail
 * the suite; elsewhere the suite is skipped with a printed reason.
 * Override the binaries with PROMETHEUS_BIN / NODE_EXPORTER_BIN.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inCI } from '../../support/services.js';
import { freePort } from './ports.js';

export const prometheusBin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const exporterBin = process.env.NODE_EXPORTER_BIN ?? '/usr/bin/prometheus-node-exporter';

function binariesPresent(): boolean {
  const missing = [prometheusBin, exporterBin].filter((b) => !existsSync(b));
  if (missing.length === 0) return true;
  const why = `missing ${missing.join(', ')} (apt-get install prometheus prometheus-node-exporter)`;
  if (inCI) throw new Error(`Prometheus and node_exporter are required in CI: ${why}`);
  console.warn(`skipping real Prometheus suite: ${why} (set CI=true to make this an error)`);
  return false;
}

export const prometheusAvailable = binariesPresent();
export const describeWithPrometheus = prometheusAvailable ? describe : describe.skip;

interface Proc {
  child: ChildProcess;
  log: string[];
  exited: Promise<void>;
}

function launch(bin: string, args: string[]): Proc {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  // Keep the last lines for the failure message; both tools log to stderr.
  const keep = (b: Buffer) => {
    log.push(...b.toString().split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - 20));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', (err) => log.push(`spawn error: ${err.message}`));
  return { child, log, exited };
}

async function kill(p: Proc | null): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
  await p.exited;
  clearTimeout(timer);
}

async function waitFor(what: string, p: Proc, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null)
      throw new Error(`${what}: process exited with ${p.child.exitCode}:\n${p.log.join('\n')}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms:\n${p.log.join('\n')}`);
}

export interface RealPrometheus {
  readonly url: string;
  readonly exporterUrl: string;
  /** Stops Prometheus (SIGTERM) and waits for it to exit; the exporter keeps running. */
  stop(): Promise<void>;
  /** Starts Prometheus again on the same port and TSDB and waits until it is ready and scraping. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrometheus(minScrapes = 3): Promise<RealPrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-prom-'));
  const [promPort, exporterPort] = [await freePort(), await freePort()];
  const exporterAddr = `127.0.0.1:${exporterPort}`;
  const url = `http://127.0.0.1:${promPort}`;
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - { job_name: node, static_configs: [ { targets: ['${exporterAddr}'] } ] }`,
    ].join('\n'),
  );
  const exporter = launch(exporterBin, [`--web.listen-address=${exporterAddr}`]);
  let prom: Proc | null = null;
  const startProm = async (): Promise<void> => {
    const p = launch(prometheusBin, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ]);
    prom = p;
    await waitFor('Prometheus ready', p, 30_000, async () => (await fetch(`${url}/-/ready`)).ok);
    // Ready is not scraped: wait until the exporter's counter has minScrapes samples in the head.
    await waitFor(`${minScrapes} scrapes`, p, 30_000, async () => {
      const q = encodeURIComponent(`count_over_time(node_load1[1m])`);
      const body = (await (await fetch(`${url}/api/v1/query?query=${q}`)).json()) as {
        data?: { result?: { value?: [number, string] }[] };
      };
      return Number(body.data?.result?.[0]?.value?.[1] ?? 0) >= minScrapes;
    });
  };
  try {
    await waitFor('node_exporter up', exporter, 15_000, async () => (await fetch(`http://${exporterAddr}/metrics`)).ok);
    await startProm();
  } catch (err) {
    await kill(prom);
    await kill(exporter);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    exporterUrl: `http://${exporterAddr}`,
    stop: () => kill(prom),
    restart: startProm,
    async close() {
      await kill(prom);
      await kill(exporter);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
