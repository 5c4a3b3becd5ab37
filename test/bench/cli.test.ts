import { capture } from './support/capture.js';
import { Command } from 'commander';
import { register } from '../../src/cli/bench.js';
import { constantDetector, zDetector } from './support/detectors.js';
import { rowsOf, tempDir, writeNab } from './support/fixture.js';

async function vigil(args: string[], tty = false): Promise<{ stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = Object.assign(capture(), { isTTY: tty });
  const program = new Command('vigil').exitOverride();
  register(program, {
    detectors: async () => ({ main: zDetector('vigil'), ablation: [constantDetector('null', 0), zDetector('z2')] }),
    stdout,
    stderr,
  });
  await program.parseAsync(args, { from: 'user' });
  return { stdout: stdout.text(), stderr: stderr.text() };
}

function fixture(): string {
  const rows = rowsOf(40, (i) => (i === 30 ? '99' : String(i % 5)));
  return writeNab({
    'realX/spiky.csv': { rows, windows: [[rows[28]?.[0] ?? '', rows[33]?.[0] ?? '']] },
    'artificialY/flat.csv': { rows: rowsOf(30, () => '1'), windows: [] },
  });
}

describe('vigil bench nab', () => {
  it('ends stdout with one JSON object and logs a line per category when stderr is not a TTY', async () => {
    const out = tempDir('vigil-cli-');
    const { stdout, stderr } = await vigil(['bench', 'nab', '--data', fixture(), '--out', out, '--json', '--ablation']);
    const last = stdout.trimEnd().split('\n').pop() ?? '';
    const j = JSON.parse(last) as Record<string, unknown>;
    expect(j).toMatchObject({ detector: 'vigil', files: 2, rows: 70 });
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining([
        'detector',
        'files',
        'rows',
        'seconds',
        'rowsPerSecond',
        'scores',
        'categories',
        'ablation',
      ]),
    );
    expect(Object.keys(j.scores as object)).toEqual(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
    expect(j.categories).toMatchObject({ artificialY: { standard: null }, realX: { standard: expect.any(Number) } });
    expect(Object.keys(j.ablation as object)).toEqual(['null', 'z2']);
    expect((j.ablation as Record<string, Record<string, number>>).null?.standard).toBe(0);
    expect(stderr.split('\n').filter((l) => l.startsWith('nab '))).toHaveLength(6);
  });

  it('draws a progress bar instead of lines when stderr is a TTY', async () => {
    const { stdout, stderr } = await vigil(
      ['bench', 'nab', '--data', fixture(), '--out', tempDir('vigil-cli-'), '--json'],
      true,
    );
    expect(stderr).not.toMatch(/^nab /m);
    expect(stderr).toMatch(/NAB/);
    expect(JSON.parse(stdout.trimEnd().split('\n').pop() ?? '')).toMatchObject({ detector: 'vigil' });
  });

  it('prints a human table and can pick another detector as the main one', async () => {
    const out = tempDir('vigil-cli-');
    const { stdout } = await vigil(['bench', 'nab', '--data', fixture(), '--out', out, '--detector', 'null']);
    expect(stdout).toMatch(/detector null/);
    expect(stdout).toMatch(/standard\s+0\.00/);
    expect(stdout).toMatch(/artificialY\s+1\s+0\s+-/);
  });

  it('rejects an unknown detector, naming the known ones', async () => {
    await expect(
      vigil(['bench', 'nab', '--data', fixture(), '--out', tempDir('x'), '--detector', 'nope']),
    ).rejects.toThrow(/known: vigil, null, z2/);
  });
});

describe('vigil bench throughput', () => {
  it('reports points/s as JSON', async () => {
    const { stdout } = await vigil(['bench', 'throughput', '--series', '4', '--points', '100', '--json']);
    const j = JSON.parse(stdout.trimEnd().split('\n').pop() ?? '') as Record<string, unknown>;
    expect(j).toMatchObject({ detector: 'vigil', series: 4, points: 100, updates: 400 });
    expect(j.pointsPerSecond).toEqual(expect.any(Number));
  });

  it('prints a human summary', async () => {
    const { stdout } = await vigil(['bench', 'throughput', '--series', '2', '--points', '10', '--detector', 'null']);
    expect(stdout).toMatch(/points\/s/);
    expect(stdout).toMatch(/state per series/);
  });
});
