#!/usr/bin/env node
// Fails when src/ has an import cycle between files, or a loop between its
// top-level folders (DESIGN.md: "No import cycles between files *or between
// folders*"). A file at the top of src/ (main.ts, pipeline.ts) counts as a
// folder named by its file. Follows relative imports only; `import type` is
// included, since a type cycle still couples two files or folders.
// Run by `npm run lint`. Usage: node scripts/check-cycles.js [srcRoot]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
})(root);
const known = new Set(files);

const importRe =
  /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = [];
  for (const m of src.matchAll(importRe)) {
    const spec = (m[1] ?? m[2]).replace(/\.js$/, '.ts');
    const dep = resolve(dirname(f), spec);
    if (known.has(dep) && !deps.includes(dep)) deps.push(dep);
  }
  graph.set(f, deps);
}
const show = (p) => relative(process.cwd(), p);
let failed = false;

// --- file cycles -----------------------------------------------------------
const state = new Map(); // 1 = on stack, 2 = done
const cycles = [];
function visit(node, stack) {
  state.set(node, 1);
  stack.push(node);
  for (const dep of graph.get(node) ?? []) {
    if (state.get(dep) === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
    else if (!state.has(dep)) visit(dep, stack);
  }
  stack.pop();
  state.set(node, 2);
}
for (const f of files) if (!state.has(f)) visit(f, []);
for (const c of cycles) console.error('import cycle: ' + c.map(show).join(' -> '));
if (cycles.length > 0) failed = true;

// --- folder loops ----------------------------------------------------------
// folder -> (folder -> one example [fromFile, toFile]), first edge found wins.
const folderOf = (f) => {
  const first = relative(root, f).split(sep)[0];
  return first.endsWith('.ts') ? first.slice(0, -3) : first;
};
const fgraph = new Map();
for (const f of [...files].sort()) {
  const a = folderOf(f);
  if (!fgraph.has(a)) fgraph.set(a, new Map());
  for (const d of graph.get(f)) {
    const b = folderOf(d);
    if (a !== b && !fgraph.get(a).has(b)) fgraph.get(a).set(b, [f, d]);
  }
}
const folders = [...fgraph.keys()].sort();

// Shortest folder path from `from` to `to` (BFS), or null.
function shortestPath(from, to) {
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const n = queue.shift();
    if (n === to) break;
    for (const m of [...fgraph.get(n).keys()].sort()) {
      if (!prev.has(m)) {
        prev.set(m, n);
        queue.push(m);
      }
    }
  }
  if (!prev.has(to)) return null;
  const path = [];
  for (let n = to; n !== null; n = prev.get(n)) path.unshift(n);
  return path;
}

// Every folder edge A -> B that lies on a loop is closed by the shortest path
// B -> ... -> A; each distinct loop is printed once, with one file -> file
// import per arrow.
const loops = new Map();
for (const a of folders) {
  for (const b of [...fgraph.get(a).keys()].sort()) {
    const back = shortestPath(b, a);
    if (!back) continue;
    const loop = [a, ...back]; // a -> b -> ... -> a
    const ring = loop.slice(0, -1);
    const start = ring.indexOf([...ring].sort()[0]);
    const canon = [...ring.slice(start), ...ring.slice(0, start)];
    const key = canon.join(' -> ');
    if (!loops.has(key)) loops.set(key, [...canon, canon[0]]);
  }
}
for (const loop of loops.values()) {
  console.error('folder loop: ' + loop.join(' -> '));
  for (let i = 0; i + 1 < loop.length; i++) {
    const [from, to] = fgraph.get(loop[i]).get(loop[i + 1]);
    console.error(`  ${loop[i]} -> ${loop[i + 1]}: ${show(from)} -> ${show(to)}`);
  }
}
if (loops.size > 0) failed = true;

if (failed) process.exit(1);
console.log(`no import cycles in ${files.length} files; no loops between ${folders.length} folders`);
