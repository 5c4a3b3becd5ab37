/** scripts/check-cycles.js: import cycles between files, and loops between src/'s top-level folders (issue 17). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/check-cycles.js', import.meta.url));

function check(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cycles-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'src', path)), { recursive: true });
    writeFileSync(join(dir, 'src', path), text);
  }
  const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('check-cycles', () => {
  it('fails on a folder loop without a file cycle, naming one import per arrow', () => {
    const r = check({
      'a/x.ts': "import { y } from '../b/y.js';\nexport const x = y;\n",
      'a/v.ts': 'export type V = number;\n',
      'b/y.ts': 'export const y = 1;\n',
      'b/w.ts': "import type {\n  V,\n} from '../a/v.js';\nexport type W = V;\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).not.toContain('import cycle');
    expect(r.out).toContain('folder loop: a -> b -> a');
    expect(r.out).toContain('a -> b: src/a/x.ts -> src/b/y.ts');
    expect(r.out).toContain('b -> a: src/b/w.ts -> src/a/v.ts');
  });

  it('counts a file at the top of src/ as a folder named by the file', () => {
    const r = check({
      'main.ts': "import { x } from './a/x.js';\nexport const m = x;\n",
      'a/x.ts': 'export const x = 1;\n',
      'a/y.ts': "import { m } from '../main.js';\nexport const y = m;\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('folder loop: a -> main -> a');
  });

  it('still fails on a file cycle', () => {
    const r = check({
      'a/x.ts': "import { y } from './y.js';\nexport const x = y;\n",
      'a/y.ts': "export { x as y } from './x.js';\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('import cycle: src/a/x.ts -> src/a/y.ts -> src/a/x.ts');
  });

  it('passes a layered tree, and src/ itself', () => {
    const r = check({
      'main.ts': "import { x } from './a/x.js';\nimport { y } from './b/y.js';\nexport const m = x + y;\n",
      'a/x.ts': "import { y } from '../b/y.js';\nexport const x = y;\n",
      'b/y.ts': 'export const y = 1;\n',
    });
    expect(r).toEqual({ status: 0, out: 'no import cycles in 3 files; no loops between 3 folders\n' });
    const own = spawnSync(process.execPath, [script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(own.stderr).toBe('');
    expect(own.status).toBe(0);
  });
});
