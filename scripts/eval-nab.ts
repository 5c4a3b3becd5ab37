/**
 * Quick NAB evaluation for iterating on src/detect (stand-in until the
 * official scorer in src/bench/nab lands; delete this file then).
 * Implements /work/shared/nab/README.md: probation, sigmoid row values, one
 * corpus-wide threshold per profile chosen over every distinct score.
 *
 *   npx tsx scripts/eval-nab.ts [--detector vigil] [--nab DIR] [--cats a,b] [--verbose]
 *   [--params '{"refractory":200}']  (ensemble parameter override, for tuning)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDetectors, createEnsembleFactory } from '../src/detect/index.js';
import type { DetectorFactory } from '../src/detect/types.js';

interface FileRun { name: string; scores: Float64Array; windows: Array<[number, number]> }
const PROFILES = {
  standard: { tp: 1, fp: 0.11, fn: 1 },
  reward_low_FP_rate: { tp: 1, fp: 0.22, fn: 1 },
  reward_low_FN_rate: { tp: 1, fp: 0.11, fn: 2 },
} as const;

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const f = (y: number): number => (y > 3 ? -1 : 2 * sig(-5 * y) - 1);
const F1 = f(-1);

function loadCsv(path: string): { ts: string[]; t: number[]; v: number[] } {
  const lines = readFileSync(path, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  const ts: string[] = [], t: number[] = [], v: number[] = [];
  for (const l of lines) {
    const [a = '', b = ''] = l.split(',');
    ts.push(a.trim());
    t.push(Date.parse(a.trim().replace(' ', 'T') + 'Z'));
    v.push(Number(b));
  }
  return { ts, t, v };
}

function runFile(factory: DetectorFactory, name: string, t: number[], v: number[]): Float64Array {
  const d = factory.create({ key: name, source: 'nab', metric: name, service: 'nab', labels: {} });
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = Number(d.update({ t: t[i] ?? 0, v: v[i] ?? NaN }).value.toPrecision(12));
  return out;
}

/** Per-row unit values: window rows -> [windowId, f(y)/f(-1)], others -> [-1, f(y) or -1]. */
function rowValues(n: number, windows: Array<[number, number]>): { wid: Int32Array; u: Float64Array } {
  const wid = new Int32Array(n).fill(-1), u = new Float64Array(n).fill(-1);
  let prev: [number, number] | null = null;
  let wi = 0;
  for (let i = 0; i < n; i++) {
    const w = windows[wi];
    if (w && i >= w[0] && i <= w[1]) {
      const W = w[1] - w[0] + 1;
      wid[i] = wi; u[i] = f(-(w[1] - i + 1) / W) / F1;
      if (i === w[1]) { prev = w; wi++; }
    } else if (prev) {
      u[i] = f((i - prev[1]) / (prev[1] - prev[0]));
    }
  }
  return { wid, u };
}

function score(runs: FileRun[], prof: { tp: number; fp: number; fn: number }): { score: number; theta: number; tp: number; fp: number; fn: number } {
  const rows: Array<{ s: number; w: number; val: number }> = [];
  let nw = 0;
  for (const r of runs) {
    const n = r.scores.length, P = Math.min(Math.floor(0.15 * n), 750);
    const { wid, u } = rowValues(n, r.windows);
    for (let i = P; i < n; i++) {
      const w = wid[i] ?? -1, uu = u[i] ?? 0;
      rows.push({ s: r.scores[i] ?? 0, w: w < 0 ? -1 : nw + w, val: w < 0 ? uu * prof.fp : uu * prof.tp });
    }
    nw += r.windows.length;
  }
  rows.sort((a, b) => b.s - a.s);
  const best = new Map<number, number>();
  let fpSum = 0, winSum = 0, fpCount = 0;
  let top = { S: -prof.fn * nw, theta: 1.1, tp: 0, fp: 0 };
  for (let i = 0; i < rows.length; ) {
    const s = rows[i]?.s ?? 0;
    for (; i < rows.length && rows[i]?.s === s; i++) {
      const r = rows[i]!;
      if (r.w < 0) { fpSum += r.val; fpCount++; continue; }
      const b = best.get(r.w);
      if (b === undefined) { best.set(r.w, r.val); winSum += r.val; } else if (r.val > b) { winSum += r.val - b; best.set(r.w, r.val); }
    }
    const S = fpSum + winSum - prof.fn * (nw - best.size);
    if (S > top.S) top = { S, theta: s, tp: best.size, fp: fpCount };
  }
  const norm = 100 * (top.S + prof.fn * nw) / (prof.tp * nw + prof.fn * nw);
  return { score: norm, theta: top.theta, tp: top.tp, fp: top.fp, fn: nw - top.tp };
}

async function main(): Promise<void> {
  const nab = arg('nab') ?? '/work/shared/nab';
  const want = arg('detector') ?? 'vigil';
  const cats = arg('cats')?.split(',');
  const { main: m, ablation } = await benchDetectors();
  const params = arg('params');
  const factory = params ? createEnsembleFactory({ name: `vigil ${params}`, params: JSON.parse(params) as object }) : [m, ...ablation].find((d) => d.name === want);
  if (!factory) throw new Error(`unknown detector ${want}`);
  const labels = JSON.parse(readFileSync(join(nab, 'labels/combined_windows.json'), 'utf8')) as Record<string, string[][]>;
  const runs: FileRun[] = [];
  let points = 0, ms = 0;
  for (const cat of readdirSync(join(nab, 'data')).sort()) {
    if (cats && !cats.includes(cat)) continue;
    for (const file of readdirSync(join(nab, 'data', cat)).sort()) {
      const name = `${cat}/${file}`;
      const { ts, t, v } = loadCsv(join(nab, 'data', name));
      const idx = new Map(ts.map((s, i) => [s, i]));
      const windows = (labels[name] ?? []).map(([a = '', b = '']) => [idx.get(a.slice(0, 19)) ?? -1, idx.get(b.slice(0, 19)) ?? -1] as [number, number]);
      const t0 = performance.now();
      const scores = runFile(factory, name, t, v);
      ms += performance.now() - t0; points += t.length;
      runs.push({ name, scores, windows });
    }
  }
  const out: string[] = [`${factory.name}: ${runs.length} files, ${points} points, ${Math.round(points / (ms / 1000))} points/s`];
  for (const [pname, prof] of Object.entries(PROFILES)) {
    const r = score(runs, prof);
    out.push(`  ${pname.padEnd(20)} ${r.score.toFixed(2)}  (theta ${r.theta}, windows hit ${r.tp}, missed ${r.fn}, fp rows ${r.fp})`);
  }
  if (process.argv.includes('--verbose')) {
    const th = score(runs, PROFILES.standard).theta;
    for (const r of runs) {
      const n = r.scores.length, P = Math.min(Math.floor(0.15 * n), 750);
      const det: number[] = [];
      for (let i = P; i < n; i++) if ((r.scores[i] ?? 0) >= th) det.push(i);
      const hit = r.windows.filter(([a, b]) => det.some((i) => i >= a && i <= b)).length;
      const fp = det.filter((i) => !r.windows.some(([a, b]) => i >= a && i <= b)).length;
      out.push(`    ${r.name.padEnd(58)} n=${n} win=${r.windows.length} hit=${hit} fp=${fp} det=[${det.slice(0, 8).join(',')}${det.length > 8 ? ',…' : ''}] w=${JSON.stringify(r.windows)}`);
    }
  }
  console.log(out.join('\n'));
}

await main();
