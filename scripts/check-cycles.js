#!/usr/bin/env node
// Fails when src/ has an import cycle (DESIGN.md: "No import cycles").
// Follows relative imports only; `import type` is included, since a type
// cycle still couples two folders.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
})(root);

const importRe = /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = [];
  for (const m of src.matchAll(importRe)) {
    const spec = (m[1] ?? m[2]).replace(/\.js$/, '.ts');
    deps.push(resolve(dirname(f), spec));
  }
  graph.set(f, deps.filter((d) => graph.has(d) || files.includes(d)));
}

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

if (cycles.length > 0) {
  for (const c of cycles) console.error('import cycle: ' + c.map((p) => relative(process.cwd(), p)).join(' -> '));
  process.exit(1);
}
console.log(`no import cycles in ${files.length} files`);
