import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
const folders = readdirSync(join(root, 'src')).filter((f) => statSync(join(root, 'src', f)).isDirectory());

describe('docs/architecture.md', () => {
  it('has a row for every folder of src/', () => {
    const rows = new Set([...doc.matchAll(/^\| `src\/([a-z-]+)\/` \|/gm)].map((m) => m[1]));
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !rows.has(f))).toEqual([]);
  });

  it('names only src/ paths that exist', () => {
    const named = [...new Set([...doc.matchAll(/`src\/([\w./-]+)`/g)].map((m) => m[1]!.replace(/\/$/, '')))];
    expect(named.length).toBeGreaterThan(10);
    const exists = (p: string): boolean => {
      try {
        statSync(join(root, 'src', p));
        return true;
      } catch {
        return false;
      }
    };
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });
});
