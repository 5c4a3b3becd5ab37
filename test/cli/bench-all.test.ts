/**
 * `vigil bench all` and `vigil bench calibration` on tiny corpora written to
 * temp dirs (NAB, KPI and scenario layouts), with test detectors injected
 * for NAB, KPI and throughput; scenarios and the simulated seed run the real
 * pipeline.
 */
import { capture } from '../bench/support/capture.js';
import { Command } from 'commander';
import { register } from '../../src/cli/bench.js';
import { constantDetector, zDetector } from '../bench/support/detectors.js';
import { rowsOf, writeNab } from '../bench/support/fixture.js';
import { writeKpi, writeScenarios } from './support/corpora.js';
import type { AllReport, Section } from '../../src/bench/all/types.js';
import type { CalibrationResult } from '../../src/bench/calibration/run.js';

async function vigil(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: typeof process.exitCode }> {
  const stdout = capture();
  const stderr = Object.assign(capture(), { isTTY: false });
  const program = new Command('vigil').exitOverride();
  register(program, {
    detectors: async () => ({ main: zDetector('vigil'), ablation: [constantDetector('robust-mad', 0.5)] }),
    stdout,
    stderr,
  });
  const before = process.exitCode;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout: stdout.text(), stderr: stderr.text(), exitCode: process.exitCode };
  } finally {
    process.exitCode = before;
  }
}

const nab = (): string => {
  const rows = rowsOf(200, (i) => (i === 150 ? '99' : String(i % 5)));
  return writeNab({
    'realX/spiky.csv': { rows, windows: [[rows[145]?.[0] ?? '', rows[155]?.[0] ?? '']] },
    'artificialY/flat.csv': { rows: rowsOf(100, (i) => String(i % 3)), windows: [] },
  });
};
const kpi = (): string =>
  writeKpi({
    a: { n: 300, value: (i) => (i >= 200 && i < 210 ? 50 : i % 4), anomalous: (i) => i >= 200 && i < 210 },
    b: { n: 200, value: (i) => i % 6, anomalous: () => false },
  });
const lastJson = <T>(s: string): T => JSON.parse(s.trimEnd().split('\n').pop() ?? '') as T;
function ok<T>(s: Section<T>): T {
  if (s.status !== 'ok') throw new Error(`section ${s.status}: ${s.reason}`);
  return s.result;
}

describe('vigil bench all', () => {
  it('runs every corpus and prints them side by side in one table', async () => {
    const { stdout, stderr, exitCode } = await vigil([
      'bench',
      'all',
      '--nab',
      nab(),
      '--kpi',
      kpi(),
      '--scenarios',
      writeScenarios(),
      '--seeds',
      '1',
      '--throughput',
      '2x50',
    ]);
    expect(exitCode).not.toBe(1);
    expect(stdout).toMatch(/^corpus\s+measure\s+vigil\s+robust-mad\s+wall$/m);
    expect(stdout).toMatch(/^NAB \(2 files\)\s+NAB standard\s+-?\d+\.\d\d\s+-?\d+\.\d\d\s+\d+\.\d s$/m);
    expect(stdout).toMatch(/realX \(standard\)/);
    expect(stdout).toMatch(/^KPI \(2 series\)\s+paF1 \(delay 7, one threshold\)\s+\d\.\d{3}\s+\d\.\d{3}/m);
    expect(stdout).toMatch(/median per-KPI F1/);
    expect(stdout).toMatch(/^scenarios \(1\)\s+recall\s+\S+/m);
    expect(stdout).toMatch(/top-1 attribution/);
    expect(stdout).toMatch(/caught: latency\s+[01]\/1/);
    expect(stdout).toMatch(/^simulated \(1 seeds\)\s+recall/m);
    expect(stdout).toMatch(/^throughput\s+points\/s \(2 x 50\)/m);
    expect(stderr).toMatch(
      /scenarios c01 \(1\/1\): \d+\/1 events matched, \d+ incidents, top-1 \d\/1, 0 silent about a failed verdict, [\d.]+ s; [\d.]+ s elapsed/,
    );
    expect(stderr).toMatch(/scenario 1\/1: /);
  }, 240_000);

  it('ends stdout with one JSON object whose scores follow the scorers', async () => {
    const { stdout } = await vigil([
      'bench',
      'all',
      '--nab',
      nab(),
      '--kpi',
      kpi(),
      '--skip',
      'scenarios,simulated',
      '--throughput',
      '2x50',
      '--json',
    ]);
    const j = lastJson<AllReport>(stdout);
    expect(j).toMatchObject({
      detector: 'vigil',
      baseline: 'robust-mad',
      scenarios: { status: 'skipped', reason: '--skip' },
      simulated: { status: 'skipped' },
    });
    expect(j.nab).toMatchObject({
      status: 'ok',
      result: { files: 2, rows: 300, windows: 1, baseline: { detector: 'robust-mad' } },
    });
    // The z detector finds a's 10-point spike at once and nothing else reaches its score: paF1 1.
    expect(ok(j.kpi).main).toMatchObject({ detector: 'vigil', paF1: 1 });
    // A constant score flags every point: 10 TP, 490 FP point-wise.
    expect(ok(j.kpi).baseline?.pointF1).toBeCloseTo((2 * (10 / 500)) / (10 / 500 + 1), 9);
    expect(j.throughput).toMatchObject({ status: 'ok', result: { detector: 'vigil', series: 2, points: 50 } });
  });

  it('skips an absent directory with a message naming it, and runs the rest', async () => {
    const { stdout, stderr, exitCode } = await vigil([
      'bench',
      'all',
      '--nab',
      '/nonexistent/nab',
      '--kpi',
      kpi(),
      '--scenarios',
      '/nonexistent/scen',
      '--skip',
      'simulated,throughput,baseline',
      '--json',
    ]);
    expect(exitCode).not.toBe(1);
    expect(stderr).toMatch(/nab skipped: directory \/nonexistent\/nab not found \(pass --nab DIR, or --skip nab\)/);
    const j = lastJson<AllReport>(stdout);
    expect(j.nab).toEqual({
      status: 'skipped',
      reason: 'directory /nonexistent/nab not found (pass --nab DIR, or --skip nab)',
    });
    expect(j.scenarios.status).toBe('skipped');
    expect(j.kpi.status).toBe('ok');
    expect(j.baseline).toBeNull();
  });

  it('reports a corpus with bad data as failed, still runs the others, and exits 1', async () => {
    const { stdout, exitCode } = await vigil([
      'bench',
      'all',
      '--nab',
      writeKpi({}),
      '--kpi',
      kpi(),
      '--skip',
      'scenarios,simulated,throughput',
    ]);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^NAB\s+failed: .*cannot read labels file \[E_NAB_DATA\]/m);
    expect(stdout).toMatch(/^KPI \(2 series\)/m);
  });

  it('rejects an unknown --skip name', async () => {
    await expect(vigil(['bench', 'all', '--skip', 'nab,bogus'])).rejects.toThrow(
      /--skip bogus: expected some of nab, kpi, scenarios, simulated, throughput, baseline/,
    );
  });
});

describe('vigil bench calibration', () => {
  it('rates every NAB and KPI series and prints the spread', async () => {
    const { stdout } = await vigil([
      'bench',
      'calibration',
      '--nab',
      nab(),
      '--kpi',
      kpi(),
      '--threshold',
      '0.3',
      '--margin',
      '5',
      '--json',
    ]);
    const j = lastJson<CalibrationResult>(stdout);
    expect(j).toMatchObject({ detector: 'vigil', threshold: 0.3, margin: 5 });
    expect(j.series.map((s) => `${s.corpus}:${s.id}`)).toEqual([
      'nab:artificialY/flat.csv',
      'nab:realX/spiky.csv',
      'kpi:a',
      'kpi:b',
    ]);
    // b: 200 points, warm-up 30, no labels -> 170 counted.
    expect(j.series[3]).toMatchObject({ points: 170 });
    expect(j.spread.series).toBe(4);
    const table = (await vigil(['bench', 'calibration', '--nab', nab(), '--kpi', kpi()])).stdout;
    expect(table).toMatch(/threshold 0\.3,/);
    expect(table).toMatch(
      /^all: 4 series, median [\d.]+, p10 [\d.]+, p90 [\d.]+, p90\/p10 \S+, max\/min over the \d+ with alarms \S+, within 2x of the median \d\/4$/m,
    );
  });

  it('skips an absent corpus by name and refuses when both are absent', async () => {
    const { stderr, stdout } = await vigil([
      'bench',
      'calibration',
      '--nab',
      '/nonexistent/n',
      '--kpi',
      kpi(),
      '--json',
    ]);
    expect(stderr).toMatch(/nab skipped: directory \/nonexistent\/n not found/);
    expect(lastJson<CalibrationResult>(stdout).byCorpus.nab).toBeNull();
    await expect(vigil(['bench', 'calibration', '--nab', '/nonexistent/n', '--kpi', '/nonexistent/k'])).rejects.toThrow(
      /neither \/nonexistent\/n nor \/nonexistent\/k exists/,
    );
  });
});
