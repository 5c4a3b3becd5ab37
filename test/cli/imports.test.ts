/**
 * What a command loads: a vendor package is imported by the process that
 * uses it, not by every command. A backtest on embedded defaults (no Slack,
 * SNS, CloudWatch, PostgreSQL, HTTP listener or fix) must not load their
 * packages. A real process with a module-resolution hook that writes every
 * package specifier it resolves to a file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv } from './support/env.js';

const BIN = resolve('bin/vigil.js');

/** Hooks (run on Node's loader thread): appends each bare specifier resolved to the file given at registration. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  if (!/^(\\.|\\/|node:|file:|data:)/.test(specifier)) appendFileSync(file, specifier + '\\n');
  return next(specifier, context);
}`;

function packagesLoadedBy(args: string[], dir: string): Promise<string[]> {
  const log = join(dir, 'imports.txt');
  writeFileSync(log, '');
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\n` +
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { file: ${JSON.stringify(log)} } });\n`,
  );
  const child = spawn(process.execPath, ['--import', register, BIN, ...args], { cwd: dir, env: cleanEnv() });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((done, fail) =>
    child.on('exit', (code) =>
      code === 0
        ? done([...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))])
        : fail(new Error(`exit ${code}: ${stderr}`)),
    ),
  );
}

it('a backtest on embedded defaults loads neither Slack, AWS, PostgreSQL, fastify nor the chart renderer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-imports-'));
  mkdirSync(join(dir, 'scenario', 'metrics', 'web'), { recursive: true });
  writeFileSync(
    join(dir, 'scenario', 'metrics', 'web', 'cpu_pct.csv'),
    'timestamp,value\n2026-01-01T00:00:00Z,10\n2026-01-01T00:01:00Z,11\n',
  );
  writeFileSync(join(dir, 'scenario', 'deployments.json'), '[]');
  const loaded = await packagesLoadedBy(['backtest', join(dir, 'scenario'), '--json'], dir);
  // The hook saw the packages the backtest does use: it works.
  expect(loaded).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'commander', 'zod']));
  const vendors = loaded.filter((p) => /^(@slack\/|@aws-sdk\/|@smithy\/|pg$|fastify|@resvg\/)/.test(p));
  expect(vendors).toEqual([]);
}, 60_000);
