/** openStore's failure modes that need no running database, and error mapping. */
import { VigilError, type VigilErrorCode } from '../../src/domain/errors.js';
import { toStoreError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/index.js';

describe('openStore', () => {
  test('unreachable Postgres is E_STORE_CONNECT naming the host, never the password', async () => {
    const err: unknown = await openStore({
      databaseUrl: 'postgres://someuser:s3cr3t-pw@127.0.0.1:1/vigil',
      dataDir: 'unused',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect(err).toMatchObject({ code: 'E_STORE_CONNECT', retryable: true });
    expect((err as Error).message).toContain('postgres://127.0.0.1:1/vigil');
    expect((err as Error).message).not.toContain('s3cr3t-pw');
    expect((err as Error).message).not.toContain('someuser');
  });
});

describe('toStoreError', () => {
  const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  test.each([
    ['ECONNREFUSED', 'E_STORE_UNAVAILABLE', true],
    ['57P01', 'E_STORE_UNAVAILABLE', true],
    ['08006', 'E_STORE_UNAVAILABLE', true],
    ['40001', 'E_STORE_CONFLICT', true],
    ['23505', 'E_STORE_CONFLICT', false],
    ['23503', 'E_STORE_NOT_FOUND', false],
    ['42601', 'E_STORE_QUERY', false],
  ])('%s -> %s', (sqlState, code, retryable) => {
    expect(toStoreError(withCode(sqlState))).toMatchObject({ code, retryable });
  });

  test('a dropped pg connection without a code is retryable; VigilErrors pass through', () => {
    expect(toStoreError(new Error('Connection terminated unexpectedly'))).toMatchObject({
      code: 'E_STORE_UNAVAILABLE',
      retryable: true,
    });
    const own = new VigilError('E_X' as VigilErrorCode, 'x');
    expect(toStoreError(own)).toBe(own);
  });
});
