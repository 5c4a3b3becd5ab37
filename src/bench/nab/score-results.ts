/**
 * Scores an existing results directory laid out as NAB's own `results/`
 * (<resultsDir>/<detector>/<category>/<detector>_<file>.csv, anomaly_score
 * column), e.g. one written by runNab or NAB's shipped detector outputs, against
 * the corpus at dataRoot. Effects: reads files. Failure modes: E_NAB_DATA,
 * E_NAB_RESULTS, E_NAB_SCORE (see data.ts, results.ts, scorer.ts).
 */
import { loadNab } from './data.js';
import type { ByProfile } from './profiles.js';
import { readResults } from './results.js';
import { scoreCorpus, type ProfileScore } from './scorer.js';

export async function scoreResultsDir(opts: {
  dataRoot: string;
  resultsDir: string;
  detector: string;
}): Promise<ByProfile<ProfileScore>> {
  const corpus = await loadNab(opts.dataRoot);
  const scores = await readResults(opts.resultsDir, opts.detector, corpus);
  return scoreCorpus(
    corpus.files.map((f, i) => ({
      key: f.key,
      category: f.category,
      rows: f.rows,
      scores: scores[i] as Float64Array,
      windows: f.windows,
    })),
  );
}
