/**
 * What every `vigil bench` subcommand is handed, and the helpers they share.
 * Detector factories are injected (BenchDeps.detectors), so no bench
 * command picks an implementation.
 */
import { InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import type { NabProgress } from '../bench/index.js';
import { VigilError } from '../domain/index.js';
import type { DetectorFactory } from '../detect/types.js';

export interface BenchDetectors {
  readonly main: DetectorFactory;
  readonly ablation: readonly DetectorFactory[];
}

export interface BenchDeps {
  readonly detectors: () => Promise<BenchDetectors>;
  /** defaults to process.stdout / process.stderr */
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** The chosen main detector first, then (with ablation) every other one. */
export function pickFactories(all: BenchDetectors, name: string | undefined, ablation: boolean): DetectorFactory[] {
  const everyone = [all.main, ...all.ablation];
  const main = name === undefined ? all.main : everyone.find((f) => f.name === name);
  if (!main)
    throw new VigilError(
      'E_BENCH_ARGS',
      `unknown detector "${name}"; known: ${everyone.map((f) => f.name).join(', ')}`,
    );
  return ablation ? [main, ...everyone.filter((f) => f !== main)] : [main];
}

/** A progress bar when stderr is a TTY, otherwise one line per finished NAB category. */
export function nabProgress(stderr: NodeJS.WritableStream & { isTTY?: boolean }): {
  onProgress: (p: NabProgress) => void;
  stop: () => void;
} {
  if (stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: stderr,
        format: 'NAB {bar} {value}/{total} files | {detector} {category}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let state: 'idle' | 'running' | 'stopped' = 'idle';
    return {
      onProgress: (p) => {
        if (state === 'idle') {
          bar.start(p.total, 0, { detector: p.detector, category: p.category });
          state = 'running';
        }
        bar.update(p.done, { detector: p.detector, category: p.category });
      },
      stop: () => {
        if (state === 'running') bar.stop();
        state = 'stopped';
      },
    };
  }
  return {
    onProgress: (p) => {
      const c = p.categoryDone;
      if (c)
        stderr.write(
          `nab ${p.detector} ${p.category}: ${c.files} files, ${c.rows} rows, ${c.seconds.toFixed(2)} s (${p.done}/${p.total} files)\n`,
        );
    },
    stop: () => undefined,
  };
}
