/**
 * Tuning helper for src/detect: runs the official NAB scorer (src/bench)
 * on the vigil ensemble with a parameter override, or on a named bench
 * detector. Same numbers as `vigil bench nab`; exists only because the
 * override is a developer knob, not a CLI feature.
 *
 *   npx tsx scripts/eval-nab.ts [--detector vigil] [--params '{"refractory":200}'] [--data /work/shared/nab]
 *                               [--split realAWSCloudwatch,realTraffic,artificialNoAnomaly]
 *
 * --split: leave-categories-out check. Also scores the named categories and
 * the rest separately, each with its own optimal threshold, so a parameter
 * picked on one part can be confirmed on the other.
 */
import { benchDetectors, runNab, nabTable, loadNab, readResults, scoreCorpus } from '../src/bench/index.js';
import { createEnsembleFactory } from '../src/detect/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const params = arg('params');
const want = arg('detector') ?? 'vigil';
const dataRoot = arg('data') ?? '/work/shared/nab';
const outDir = process.env.EVAL_OUT ?? `/tmp/vigil-eval-${process.pid}`;
const { main, ablation } = await benchDetectors();
const factory = params
  ? createEnsembleFactory({ name: 'vigil-tune', params: JSON.parse(params) as object })
  : [main, ...ablation].find((d) => d.name === want);
if (!factory) throw new Error(`unknown detector ${want}; have ${[main, ...ablation].map((d) => d.name).join(', ')}`);
const run = await runNab({ dataRoot, outDir, factories: [factory] });
console.log(params ? `params ${params}` : want);
console.log(nabTable(run));

const split = arg('split')?.split(',');
if (split) {
  const corpus = await loadNab(dataRoot);
  const scores = await readResults(outDir, factory.name, corpus);
  const files = corpus.files.map((f, i) => ({
    key: f.key,
    category: f.category,
    rows: f.rows,
    scores: scores[i] as Float64Array,
    windows: f.windows,
  }));
  for (const [label, part] of [
    ['split', files.filter((f) => split.includes(f.category))],
    ['rest', files.filter((f) => !split.includes(f.category))],
  ] as const) {
    const s = scoreCorpus(part);
    const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
    console.log(
      `${label.padEnd(5)} (${[...new Set(part.map((f) => f.category))].join(', ')}): standard ${fmt(s.standard.score)}  reward_low_FP ${fmt(s.reward_low_FP_rate.score)}  reward_low_FN ${fmt(s.reward_low_FN_rate.score)}`,
    );
  }
}
