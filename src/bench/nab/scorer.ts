/**
 * NAB-compatible scorer. Pure, no effects.
 *
 * Input: per-file anomaly scores in [0,1] (as parsed back from the printed
 * results, since the optimal threshold depends on printed precision) and each
 * file's windows as row ranges. Output per profile: the one corpus-wide
 * threshold that maximises the raw score (candidates: every distinct score on
 * non-probation rows, plus 1.1; ties go to the highest threshold), the raw
 * score and 100*(S-Snull)/(Sperfect-Snull) with Snull = -fnWeight*windows and
 * Sperfect = tpWeight*windows.
 *
 * Categories (our choice; NAB reports only the corpus): each category is
 * scored at the corpus-optimal threshold and normalised with its own window
 * count; a category without windows has score null (its raw score is the FP cost).
 *
 * The sweep sorts the rows once (O(n log n)) and updates the raw score
 * incrementally per distinct threshold. Throws VigilError E_NAB_SCORE on a
 * score outside [0,1] or a length mismatch.
 */
import { VigilError } from '../../domain/index.js';
import { PROFILES, type ByProfile, type CostProfile, type ProfileName } from './profiles.js';
import { probationLength, rowValues, windowOfRows, type RowWindow } from './rows.js';

export interface ScorableFile {
  /** "<category>/<file>.csv" */
  readonly key: string;
  readonly category: string;
  readonly rows: number;
  readonly scores: ArrayLike<number>;
  readonly windows: readonly RowWindow[];
}

export interface RawCounts {
  readonly raw: number;
  /** windows with at least one detection */
  readonly detected: number;
  /** detected rows outside windows */
  readonly falsePositives: number;
}

export interface CategoryScore extends RawCounts {
  readonly files: number;
  readonly windows: number;
  /** null when the category has no windows */
  readonly score: number | null;
}

export interface ProfileScore extends RawCounts {
  readonly profile: ProfileName;
  readonly threshold: number;
  readonly windows: number;
  /** null when the corpus has no windows */
  readonly score: number | null;
  readonly categories: Readonly<Record<string, CategoryScore>>;
}

/** Non-probation rows of the whole corpus, flattened, with the sort done once. */
interface Flat {
  readonly score: Float64Array;
  /** corpus-wide window id, or -1 */
  readonly win: Int32Array;
  readonly cat: Int32Array;
  readonly order: Uint32Array;
  readonly windowCat: Int32Array;
  readonly categories: readonly string[];
  readonly filesPerCat: readonly number[];
}

function check(f: ScorableFile): void {
  if (f.scores.length !== f.rows) {
    throw new VigilError('E_NAB_SCORE', `${f.key}: ${f.scores.length} scores for ${f.rows} rows`);
  }
  for (let i = 0; i < f.rows; i++) {
    const s = f.scores[i] as number;
    if (!(s >= 0 && s <= 1))
      throw new VigilError('E_NAB_SCORE', `${f.key}: row ${i} has score ${s}, expected a number in [0,1]`);
  }
}

function flatten(files: readonly ScorableFile[]): Flat {
  const categories = [...new Set(files.map((f) => f.category))].sort();
  const filesPerCat = categories.map((c) => files.filter((f) => f.category === c).length);
  let n = 0;
  for (const f of files) {
    check(f);
    n += f.rows - probationLength(f.rows);
  }
  const score = new Float64Array(n);
  const win = new Int32Array(n);
  const cat = new Int32Array(n);
  const windowCat: number[] = [];
  let j = 0;
  for (const f of files) {
    const c = categories.indexOf(f.category);
    const base = windowCat.length;
    for (let k = 0; k < f.windows.length; k++) windowCat.push(c);
    const wOf = windowOfRows(f.rows, f.windows);
    for (let i = probationLength(f.rows); i < f.rows; i++, j++) {
      score[j] = f.scores[i] as number;
      const w = wOf[i] as number;
      win[j] = w < 0 ? -1 : base + w;
      cat[j] = c;
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (score[b] as number) - (score[a] as number));
  return { score, win, cat, order, windowCat: Int32Array.from(windowCat), categories, filesPerCat };
}

function valuesFor(files: readonly ScorableFile[], p: CostProfile, n: number): Float64Array {
  const out = new Float64Array(n);
  let j = 0;
  for (const f of files) {
    const v = rowValues(f.rows, f.windows, p);
    for (let i = probationLength(f.rows); i < f.rows; i++, j++) out[j] = v[i] as number;
  }
  return out;
}

/** Threshold with the highest corpus raw score; ties keep the higher threshold. */
function sweep(flat: Flat, value: Float64Array, fnWeight: number, scoredWindows: Uint8Array): number {
  const best = new Float64Array(scoredWindows.length).fill(-fnWeight);
  let windowSum = 0;
  for (const s of scoredWindows) windowSum -= s * fnWeight;
  let fp = 0;
  let bestRaw = windowSum;
  let bestTheta = 1.1;
  const { order, score, win } = flat;
  for (let i = 0; i < order.length;) {
    const theta = score[order[i] as number] as number;
    for (; i < order.length && score[order[i] as number] === theta; i++) {
      const r = order[i] as number;
      const w = win[r] as number;
      const v = value[r] as number;
      if (w < 0) fp += v;
      else if (v > (best[w] as number)) {
        windowSum += v - (best[w] as number);
        best[w] = v;
      }
    }
    if (fp + windowSum > bestRaw) {
      bestRaw = fp + windowSum;
      bestTheta = theta;
    }
  }
  return bestTheta;
}

function normalise(raw: number, windows: number, p: CostProfile): number | null {
  if (windows === 0) return null;
  const nullRaw = -p.fnWeight * windows;
  return (100 * (raw - nullRaw)) / (p.tpWeight * windows - nullRaw);
}

function scoreAt(
  flat: Flat,
  value: Float64Array,
  p: CostProfile,
  theta: number,
  scoredWindows: Uint8Array,
): ProfileScore {
  const k = flat.categories.length;
  const fp = new Float64Array(k);
  const fpCount = new Float64Array(k);
  const best = new Float64Array(scoredWindows.length).fill(-Infinity);
  for (let r = 0; r < flat.score.length; r++) {
    if ((flat.score[r] as number) < theta) continue;
    const w = flat.win[r] as number;
    const v = value[r] as number;
    if (w < 0) {
      const c = flat.cat[r] as number;
      fp[c] = (fp[c] as number) + v;
      fpCount[c] = (fpCount[c] as number) + 1;
    } else if (v > (best[w] as number)) best[w] = v;
  }
  const categories: Record<string, CategoryScore> = {};
  let raw = 0,
    detected = 0,
    falsePositives = 0,
    windows = 0;
  flat.categories.forEach((name, c) => {
    let cRaw = fp[c] as number,
      cDetected = 0,
      cWindows = 0;
    for (let w = 0; w < scoredWindows.length; w++) {
      if (flat.windowCat[w] !== c) continue;
      cWindows++;
      if ((best[w] as number) > -Infinity) {
        cRaw += best[w] as number;
        cDetected++;
      } else if (scoredWindows[w]) cRaw -= p.fnWeight;
    }
    const fpc = fpCount[c] as number;
    categories[name] = {
      raw: cRaw,
      detected: cDetected,
      falsePositives: fpc,
      files: flat.filesPerCat[c] as number,
      windows: cWindows,
      score: normalise(cRaw, cWindows, p),
    };
    raw += cRaw;
    detected += cDetected;
    falsePositives += fpc;
    windows += cWindows;
  });
  return {
    profile: p.name,
    threshold: theta,
    raw,
    detected,
    falsePositives,
    windows,
    score: normalise(raw, windows, p),
    categories,
  };
}

/** A window counts in raw scores only if it has a non-probation row (as in NAB). */
function scoredWindowMask(flat: Flat): Uint8Array {
  const mask = new Uint8Array(flat.windowCat.length);
  for (const w of flat.win) if (w >= 0) mask[w] = 1;
  return mask;
}

/**
 * Scores the corpus under each of the three NAB profiles. `thresholds` fixes
 * a profile's threshold instead of optimising it (e.g. to apply thresholds
 * tuned on one corpus to a held-out one).
 */
export function scoreCorpus(
  files: readonly ScorableFile[],
  opts: { thresholds?: Partial<ByProfile<number>> } = {},
): ByProfile<ProfileScore> {
  const flat = flatten(files);
  const mask = scoredWindowMask(flat);
  const out: Partial<ByProfile<ProfileScore>> = {};
  for (const p of PROFILES) {
    const value = valuesFor(files, p, flat.score.length);
    const theta = opts.thresholds?.[p.name] ?? sweep(flat, value, p.fnWeight, mask);
    out[p.name] = scoreAt(flat, value, p, theta, mask);
  }
  return out as ByProfile<ProfileScore>;
}
