/**
 * In-memory PGlite started from a saved fresh cluster (src/store/pglite/template.ts):
 * the template is saved once, holds nothing a store wrote, and a bad one never stops a start.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'vigil-template-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ref = (key: string) => ({ key, source: 'test', metric: 'cpu', service: 'svc', labels: {} });
const templates = (dir: string) => readdirSync(dir).filter((f) => /^pglite-.+\.tar\.gz$/.test(f));

describe('in-memory PGlite from a template', () => {
  test('the first start saves a fresh cluster; later starts use it and see none of the earlier data', async () => {
    const dir = join(tmp, 'fresh');
    const first = await openStore({ dataDir: 'memory://', templateDir: dir });
    try {
      await first.upsertSeries(ref('first-only'));
    } finally {
      await first.close();
    }
    const [file] = templates(dir);
    expect(file).toBeDefined();
    const saved = statSync(join(dir, file!));

    const second = await openStore({ dataDir: 'memory://', templateDir: dir });
    try {
      expect(await second.getSeries('first-only')).toBeNull();
      await second.upsertSeries(ref('second'));
      expect(await second.getSeries('second')).toEqual(ref('second'));
      expect(await second.listIncidents({})).toEqual([]);
    } finally {
      await second.close();
    }
    // Used, not rewritten.
    expect(statSync(join(dir, file!)).mtimeMs).toBe(saved.mtimeMs);
  });

  test('a template that cannot start is deleted and the store starts from initdb', async () => {
    const dir = join(tmp, 'bad');
    const first = await openStore({ dataDir: 'memory://', templateDir: dir });
    await first.close();
    const [file] = templates(dir);
    writeFileSync(join(dir, file!), 'not a tarball');

    const store = await openStore({ dataDir: 'memory://', templateDir: dir });
    try {
      await store.upsertSeries(ref('after-bad'));
      expect(await store.getSeries('after-bad')).toEqual(ref('after-bad'));
    } finally {
      await store.close();
    }
    expect(templates(dir)).toEqual([]);
  });
});
