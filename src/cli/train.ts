/**
 * `vigil train`: trains the learned forecaster on synthetic series (never
 * on benchmark data) and writes model.json, weights.bin and card.json.
 *
 * stderr: backend, then a progress bar per epoch (loss / val loss) when
 * stderr is a TTY, else one line per epoch. stdout: a short summary.
 * Effects: spawns `git rev-parse` once for the card's code version (missing
 * git -> "unknown"); writes the artifact directory.
 * Failure modes: InvalidArgumentError for bad numbers; training/writing
 * errors go to the CLI's one handler.
 */
import { execFileSync } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { trainForecaster } from '../bench/train/index.js';
import type { TrainProgress } from '../bench/train/index.js';
import { DEFAULT_MODEL_DIR } from '../detect/learned/index.js';

const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const nonNegativeInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  return n;
};

function codeVersion(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/detect/learned', 'src/bench/train'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : '-');

function progressReporter(stderr: NodeJS.WritableStream & { isTTY?: boolean }): (p: TrainProgress) => void {
  let bar: cliProgress.SingleBar | null = null;
  return (p) => {
    if (p.phase === 'backend') stderr.write(`backend: ${p.backend}\n`);
    else if (p.phase === 'data')
      stderr.write(`data: ${p.trainPairs} training and ${p.valPairs} validation windows (synthetic)\n`);
    else if (p.phase === 'epoch' && stderr.isTTY) {
      bar = new cliProgress.SingleBar(
        {
          stream: stderr,
          format: `epoch {epoch}/${p.epochs} {bar} {value}/{total} | loss {loss} | val loss {valLoss}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.batches, 0, { epoch: p.epoch, loss: '-', valLoss: '-' });
    } else if (p.phase === 'batch') bar?.update(p.batch, { loss: fmt(p.loss) });
    else if (p.phase === 'epoch-end') {
      if (bar) {
        bar.update({ loss: fmt(p.loss), valLoss: fmt(p.valLoss) });
        bar.stop();
        bar = null;
      } else stderr.write(`epoch ${p.epoch}: loss ${fmt(p.loss)}, val loss ${fmt(p.valLoss)}\n`);
    } else if (p.phase === 'calibrate' || p.phase === 'evaluate' || p.phase === 'save') stderr.write(`${p.phase}...\n`);
  };
}

export function register(program: Command): void {
  program
    .command('train')
    .description('Train the learned forecaster on synthetic series and write the model artifact + card')
    .option('--out <dir>', 'artifact directory', DEFAULT_MODEL_DIR)
    .option('--epochs <n>', 'training epochs', positiveInt)
    .option('--seed <s>', 'seed for data, initialisation and shuffling', nonNegativeInt)
    .option('--series <n>', 'synthetic training series (validation adds 15%)', positiveInt)
    .option('--verbose', 'print backend selection details')
    .action(async (o: { out: string; epochs?: number; seed?: number; series?: number; verbose?: boolean }) => {
      const stderr = process.stderr;
      const { card } = await trainForecaster({
        out: o.out,
        ...(o.epochs !== undefined && { epochs: o.epochs }),
        ...(o.seed !== undefined && { seed: o.seed }),
        ...(o.series !== undefined && { series: o.series }),
        codeVersion: codeVersion(),
        onProgress: progressReporter(stderr),
        debug: o.verbose ? (m) => stderr.write(`debug: ${m}\n`) : () => {},
      });
      const m = card.metrics;
      process.stdout.write(
        `wrote ${o.out} (model ${card.id}, ${card.training.seconds} s on ${card.training.backend})\n` +
          `  val loss ${m.valLoss}, skill vs persistence ${m.valSkillVsPersistence}, ` +
          `synthetic anomaly AUC ${m.syntheticAnomalyAuc}, clean exceed(0.99) ${m.cleanExceed99}\n`,
      );
    });
}
