/** The error code list (issue 17: codes were free strings matched by prefix). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRemediationCode, isStoreCode, VIGIL_ERROR_CODES, wrapError } from '../../src/domain/errors.js';

const codes: string[] = Object.values(VIGIL_ERROR_CODES).flat();

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}
/** Every quoted 'E_...' literal in src/ outside the list itself, with the file it is in. */
const literals = sources(srcDir)
  .filter((f) => !f.endsWith(join('domain', 'errors.ts')))
  .flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/'(E_[A-Z0-9_]+)'/g)].map((m) => ({
      code: m[1]!,
      file: f.slice(srcDir.length + 1),
    })),
  );

describe('VIGIL_ERROR_CODES', () => {
  it('lists each code once', () => {
    expect(codes.length).toBe(new Set(codes).size);
  });

  it('holds every code src/ writes, including the ones only HTTP answers carry', () => {
    expect(literals.filter((l) => !codes.includes(l.code))).toEqual([]);
  });

  it('holds no code src/ never writes', () => {
    // E_UNEXPECTED is written in domain/errors.ts itself, as wrapError's default.
    const used = new Set([...literals.map((l) => l.code), wrapError(new Error('x')).code]);
    expect(codes.filter((c) => !used.has(c))).toEqual([]);
  });

  // The HTTP server's status and the remediation refusals matched by prefix before; the areas keep that behaviour.
  it('puts exactly the E_STORE codes in the store area and the E_REMEDIATION codes in the remediation area', () => {
    for (const c of codes) {
      expect([c, isStoreCode(c)]).toEqual([c, c.startsWith('E_STORE')]);
      expect([c, isRemediationCode(c)]).toEqual([c, c.startsWith('E_REMEDIATION')]);
    }
    expect(isStoreCode('E_SOMETHING_BAD')).toBe(false);
    expect(isRemediationCode('E_NOT_FOUND')).toBe(false);
  });

  it('wraps an unknown error as E_UNEXPECTED unless told otherwise', () => {
    expect(wrapError(new Error('boom')).code).toBe('E_UNEXPECTED');
    expect(wrapError('boom', 'E_SCORE')).toMatchObject({ code: 'E_SCORE', message: 'boom' });
  });
});
