/**
 * Tuning helper for src/detect: runs the official NAB scorer (src/bench)
 * on the vigil ensemble with a parameter override, or on a named bench
 * detector. Same numbers as `vigil bench nab`; exists only because the
 * override is a developer knob, not a CLI feature.
 *
 *   npx tsx scripts/eval-nab.ts [--detector vigil] [--params '{"refractory":200}'] [--data /work/shared/nab]
 */
import { runNab, nabTable } from '../src/bench/index.js';
import { benchDetectors, createEnsembleFactory } from '../src/detect/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const params = arg('params');
const want = arg('detector') ?? 'vigil';
const { main, ablation } = await benchDetectors();
const factory = params
  ? createEnsembleFactory({ name: 'vigil-tune', params: JSON.parse(params) as object })
  : [main, ...ablation].find((d) => d.name === want);
if (!factory) throw new Error(`unknown detector ${want}`);
const run = await runNab({ dataRoot: arg('data') ?? '/work/shared/nab', outDir: `/tmp/vigil-eval-${process.pid}`, factories: [factory] });
console.log(params ? `params ${params}` : want);
console.log(nabTable(run));
