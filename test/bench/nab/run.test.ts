import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesRef } from '../../../src/domain/index.js';
import { VigilError } from '../../../src/domain/index.js';
import { loadNab } from '../../../src/bench/nab/data.js';
import { readResults } from '../../../src/bench/nab/results.js';
import { scoreResultsDir } from '../../../src/bench/nab/score-results.js';
import { runNab, type NabProgress } from '../../../src/bench/nab/run.js';
import { constantDetector, zDetector } from '../support/detectors.js';
import { rowsOf, tempDir, writeNab } from '../support/fixture.js';

function fixture(): string {
  const rows = rowsOf(40, (i) => (i === 30 ? '99.50' : String(i % 5)));
  return writeNab({
    'realX/spiky.csv': { rows, windows: [[rows[28]?.[0] ?? '', rows[33]?.[0] ?? '']], trailingNewline: false },
    'artificialY/flat.csv': { rows: rowsOf(30, () => '1'), windows: [] },
  });
}

describe('runNab', () => {
  it('writes NAB results files in the exact format', async () => {
    const root = fixture();
    const out = tempDir('vigil-nab-out-');
    await runNab({ dataRoot: root, outDir: out, factories: [constantDetector('konst', 0.123456789012345678)] });
    const text = readFileSync(join(out, 'konst', 'realX', 'konst_spiky.csv'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score,label');
    expect(lines[1]).toBe('2014-04-01 00:00:00,0,0.123456789012,0');
    expect(lines[29]).toBe('2014-04-01 02:20:00,3,0.123456789012,1');
    expect(lines[31]).toBe('2014-04-01 02:30:00,99.50,0.123456789012,1');
    expect(lines[34]).toBe('2014-04-01 02:45:00,3,0.123456789012,1');
    expect(lines[35]).toBe('2014-04-01 02:50:00,4,0.123456789012,0');
    expect(lines).toHaveLength(42); // header + 40 rows + final newline
    expect(text.endsWith('\n')).toBe(true);
    expect(readFileSync(join(out, 'konst', 'artificialY', 'konst_flat.csv'), 'utf8').split('\n')).toHaveLength(32);
  });

  it('scores the printed values, gives detectors no category, reports progress per category', async () => {
    const root = fixture();
    const out = tempDir('vigil-nab-out-');
    const seen: SeriesRef[] = [];
    const progress: NabProgress[] = [];
    const r = await runNab({
      dataRoot: root,
      outDir: out,
      factories: [zDetector('z', seen), constantDetector('null', 0)],
      onProgress: (p) => progress.push(p),
    });
    expect(r).toMatchObject({ files: 2, rows: 70, windows: 1 });
    expect(r.detectors.map((d) => d.detector)).toEqual(['z', 'null']);
    expect(seen.map((s) => s.metric).sort()).toEqual(['flat', 'spiky']);
    for (const s of seen) {
      expect(s).toMatchObject({ source: 'nab', labels: {} });
      expect(JSON.stringify(s)).not.toMatch(/real|artificial/);
    }
    const z = r.detectors[0];
    // the 99.50 spike is row 30, window rows 28-33 (width 6): earliest hit earns f(-4/6)/f(-1)
    const f = (y: number): number => 2 / (1 + Math.exp(5 * y)) - 1;
    expect(z?.scores.standard.score).toBeCloseTo((100 * (f(-4 / 6) / f(-1) + 1)) / 2, 10);
    expect(z?.scores.standard.detected).toBe(1);
    expect(z?.rows).toBe(70);
    expect(z?.rowsPerSecond).toBeGreaterThan(0);
    expect(r.detectors[1]?.scores.standard.score).toBe(0);
    expect(progress.map((p) => [p.detector, p.category, p.done, p.total, p.categoryDone?.files ?? null])).toEqual([
      ['z', 'artificialY', 1, 4, 1],
      ['z', 'realX', 2, 4, 1],
      ['null', 'artificialY', 3, 4, 1],
      ['null', 'realX', 4, 4, 1],
    ]);
    // the results on disk are what was scored
    const corpus = await loadNab(root);
    const back = await readResults(out, 'z', corpus);
    const spiky = back[1];
    expect(spiky?.length).toBe(40);
    expect(Math.max(...(spiky ?? []))).toBe(1);
    expect(await scoreResultsDir({ dataRoot: root, resultsDir: out, detector: 'z' })).toEqual(z?.scores);
  });

  it('scoreResultsDir names a missing or malformed results file', async () => {
    const root = fixture();
    const out = tempDir('vigil-nab-out-');
    await expect(scoreResultsDir({ dataRoot: root, resultsDir: out, detector: 'z' })).rejects.toThrow(
      /z_flat\.csv: cannot read results file/,
    );
    await runNab({ dataRoot: root, outDir: out, factories: [constantDetector('z', 0)] });
    writeFileSync(join(out, 'z', 'realX', 'z_spiky.csv'), 'timestamp,value,score\n');
    await expect(scoreResultsDir({ dataRoot: root, resultsDir: out, detector: 'z' })).rejects.toThrow(
      /z_spiky.csv: no anomaly_score column/,
    );
  });

  it('fails clearly on a bad score, a throwing detector or duplicate names', async () => {
    const root = fixture();
    const out = tempDir('vigil-nab-out-');
    await expect(runNab({ dataRoot: root, outDir: out, factories: [constantDetector('big', 1.5)] })).rejects.toThrow(
      /detector "big" gave score 1.5 on artificialY\/flat.csv row 0/,
    );
    const boom = {
      ...constantDetector('boom', 0),
      create: () => ({
        update: () => {
          throw new Error('kaput');
        },
        snapshot: () => null,
      }),
    };
    await expect(runNab({ dataRoot: root, outDir: out, factories: [boom] })).rejects.toThrow(
      /"boom" failed on artificialY\/flat.csv row 0: kaput/,
    );
    await expect(
      runNab({ dataRoot: root, outDir: out, factories: [constantDetector('a', 0), constantDetector('a', 0)] }),
    ).rejects.toBeInstanceOf(VigilError);
    await expect(runNab({ dataRoot: root, outDir: out, factories: [constantDetector('../x', 0)] })).rejects.toThrow(
      /directory name/,
    );
    await expect(runNab({ dataRoot: root, outDir: out, factories: [] })).rejects.toThrow(/no detector/);
  });
});
