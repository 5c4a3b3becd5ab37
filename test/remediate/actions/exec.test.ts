/**
 * kubectl and local.command run real processes: a stub executable on a
 * temporary PATH records its argv, proving every value reaches it as one
 * literal argument and no shell ever sees it.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ctx, HOSTILE } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-exec-'));
const out = join(dir, 'argv.json');
const stub = (name: string, exit = 0) => {
  const file = join(dir, name);
  writeFileSync(
    file,
    `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));\nprocess.stdout.write('ok from ${name}\\n');\nprocess.exit(${exit});\n`,
  );
  chmodSync(file, 0o755);
  return file;
};
stub('kubectl');
const recorder = stub('recorder');
const failing = stub('failing', 3);
const oldPath = process.env.PATH;
beforeAll(() => {
  process.env.PATH = `${dir}:${oldPath}`;
});
afterAll(() => {
  process.env.PATH = oldPath;
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => rmSync(out, { force: true }));
const argv = () => JSON.parse(readFileSync(out, 'utf8')) as string[];

describe('kubectl actions', () => {
  it('rollout restart runs kubectl with an argv array', async () => {
    const a = ACTIONS['kubectl.rollout-restart'];
    const r = await a.run(a.params.parse({ name: 'checkout', namespace: 'shop', context: 'prod-eu' }), ctx());
    expect(argv()).toEqual([
      'rollout',
      'restart',
      'deployment/checkout',
      '--namespace',
      'shop',
      '--context',
      'prod-eu',
    ]);
    expect(r).toMatchObject({ ok: true, summary: expect.stringContaining('ok from kubectl') });
  });

  it('rollout undo of a statefulset in the default namespace', async () => {
    const a = ACTIONS['kubectl.rollout-undo'];
    await a.run(a.params.parse({ kind: 'statefulset', name: 'db' }), ctx());
    expect(argv()).toEqual(['rollout', 'undo', 'statefulset/db', '--namespace', 'default']);
  });

  it.each(HOSTILE)('refuses a hostile name or namespace at load: %j', (bad) => {
    const p = ACTIONS['kubectl.rollout-undo'].params;
    expect(p.safeParse({ name: bad }).success).toBe(false);
    expect(p.safeParse({ name: 'ok', namespace: bad }).success).toBe(false);
  });
});

describe('local.command', () => {
  const a = ACTIONS['local.command'];

  it('hostile arguments reach the program as literal argv and run nothing', async () => {
    const marker = join(dir, 'pwned');
    expect(a.params.safeParse({ command: recorder, args: ['a'.repeat(10_000)] }).success).toBe(false);
    const args = [
      ...HOSTILE.filter((h) => h.length <= 4096),
      `; touch ${marker}`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
    ];
    const r = await a.run(a.params.parse({ command: recorder, args }), ctx({ localCommands: [recorder] }));
    expect(r.ok).toBe(true);
    expect(argv()).toEqual(args);
    expect(existsSync(marker)).toBe(false);
  });

  it('a command not on the allowlist is refused before anything runs', async () => {
    const r = await a.run(
      a.params.parse({ command: recorder, args: ['x'] }),
      ctx({ localCommands: ['something-else'] }),
    );
    expect(r).toEqual({ ok: false, summary: expect.stringContaining('not in remediation.localCommands') });
    expect(existsSync(out)).toBe(false);
    expect(a.plan(a.params.parse({ command: recorder }), ctx())).toEqual(
      expect.arrayContaining([expect.stringContaining('REFUSED')]),
    );
  });

  it('a non-zero exit is a failed result with the exit code', async () => {
    const r = await a.run(a.params.parse({ command: failing }), ctx({ localCommands: [failing] }));
    expect(r).toMatchObject({ ok: false, summary: expect.stringContaining('exit 3') });
  });

  it('a command name with shell syntax is refused at load', () => {
    for (const bad of ['ls; rm -rf /', 'ls && id', '$(id)', 'a b'])
      expect(a.params.safeParse({ command: bad }).success).toBe(false);
  });
});
