/**
 * The docs hold together: every relative link in README.md, CHANGELOG.md and
 * docs/*.md reaches an existing file, and an #anchor an existing heading
 * (GitHub's slugs); the README stays short enough to read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = process.cwd();
const FILES = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Lines outside fenced code blocks, so `# comments` in shell examples are neither headings nor links. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const line of prose(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** Inline links and images, outside code spans and blocks; external and mail links left out. */
function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const line of prose(markdown)) {
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push(target);
    }
  }
  return out;
}

const links = FILES.flatMap((file) =>
  relativeLinks(readFileSync(file, 'utf8')).map((target) => [file, target] as const),
);

describe('markdown links', () => {
  it('are found (the check below is not vacuous)', () => {
    expect(links.length).toBeGreaterThan(30);
    expect(links).toContainEqual(['README.md', 'docs/configuration.md']);
  });

  it.each(links)('%s -> %s resolves', (file, target) => {
    const [path = '', anchor] = target.split('#');
    const dest = path === '' ? resolve(file) : resolve(dirname(file), decodeURIComponent(path));
    expect([
      target,
      relative(ROOT, dest).startsWith('..') ? 'outside the repository' : existsSync(dest) ? 'exists' : 'missing',
    ]).toEqual([target, 'exists']);
    if (anchor !== undefined && dest.endsWith('.md') && statSync(dest).isFile()) {
      expect([target, anchorsOf(readFileSync(dest, 'utf8')).has(anchor)]).toEqual([target, true]);
    }
  });
});

describe('anchorsOf', () => {
  it('follows GitHub: code, punctuation and links dropped, repeats numbered, code blocks ignored', () => {
    const md =
      '# A (`b c`)\n## Half-way: 3.5 things\n```sh\n# not a heading\n```\n## Half-way: 3.5 things\n### [Linked](x.md) title\n';
    expect([...anchorsOf(md)]).toEqual(['a-b-c', 'half-way-35-things', 'half-way-35-things-1', 'linked-title']);
  });
});

describe('README.md', () => {
  it('stays at most 250 lines, with the two first commands exactly as they were', () => {
    const text = readFileSync('README.md', 'utf8');
    expect(text.split('\n').length - (text.endsWith('\n') ? 1 : 0)).toBeLessThanOrEqual(250);
    expect(text).toContain('npm ci && npx vigil demo');
    expect(text).toContain('npm ci && npm test');
  });
});

describe('docs/architecture.md', () => {
  const text = readFileSync('docs/architecture.md', 'utf8');
  it('has one line for every top-level folder of src/', () => {
    const folders = readdirSync('src').filter((f) => statSync(join('src', f)).isDirectory());
    const listed = prose(text)
      .filter((l) => /^\| `src\/[^`/]+\/` \|/.test(l))
      .map((l) => /`src\/([^`/]+)\/`/.exec(l)![1]);
    expect(listed.sort()).toEqual(folders.sort());
  });
});

describe('paths named in the docs', () => {
  // A guide that names a file which moved sends a newcomer nowhere.
  it.each(FILES)('%s names only src/, test/ and scripts/ paths that exist', (file) => {
    const text = readFileSync(file, 'utf8');
    const named = [...text.matchAll(/`((?:src|test|scripts)\/[\w./-]*\w\/?)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(named.filter((p) => !existsSync(p))).toEqual([]);
  });

  it('are checked in the extension guides, which name many', () => {
    const text = readFileSync('docs/extending-detectors.md', 'utf8');
    expect([...text.matchAll(/`((?:src|test)\/[\w./-]+)`/g)].length).toBeGreaterThan(10);
  });
});
