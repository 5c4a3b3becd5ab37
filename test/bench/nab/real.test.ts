/**
 * Sanity on the real NAB developer set (/work/shared/nab), skipped when absent:
 * the null detector scores 0 and a perfect one 100 in all three profiles.
 */
import { existsSync, rmSync } from 'node:fs';
import { loadNab } from '../../../src/bench/nab/data.js';
import { runNab } from '../../../src/bench/nab/run.js';
import { scoreCorpus } from '../../../src/bench/nab/scorer.js';
import { PROFILES } from '../../../src/bench/nab/profiles.js';
import { constantDetector } from '../support/detectors.js';
import { tempDir } from '../support/fixture.js';

const ROOT = '/work/shared/nab';
const maybe = existsSync(`${ROOT}/labels/combined_windows.json`) ? describe : describe.skip;

maybe('NAB developer set', () => {
  it('has the documented size', async () => {
    const c = await loadNab(ROOT);
    expect([c.files.length, c.rows, c.windows]).toEqual([51, 295_997, 97]);
  });

  it('null detector scores 0 in every profile', async () => {
    const out = tempDir('vigil-nab-real-');
    try {
      const r = await runNab({ dataRoot: ROOT, outDir: out, factories: [constantDetector('null', 0)] });
      for (const p of PROFILES) expect(r.detectors[0]?.scores[p.name].score).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('perfect detector (1 at each window start) scores 100 in every profile', async () => {
    const c = await loadNab(ROOT);
    const s = scoreCorpus(
      c.files.map((f) => {
        const scores = new Float64Array(f.rows);
        for (const w of f.windows) scores[w.start] = 1;
        return { key: f.key, category: f.category, rows: f.rows, scores, windows: f.windows };
      }),
    );
    for (const p of PROFILES) expect(s[p.name].score).toBe(100);
  });
});
