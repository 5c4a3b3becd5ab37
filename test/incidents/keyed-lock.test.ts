import { KeyedLock } from '../../src/incidents/keyed-lock.js';

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in arrival order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const gate = new Promise<void>((r) => {
      releaseFirst = r;
    });
    const a1 = lock.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    });
    const a2 = lock.run('a', async () => {
      log.push('a2');
    });
    const b = lock.run('b', async () => {
      log.push('b');
    });
    await b;
    expect(log).toEqual(['a1 start', 'b']);
    releaseFirst();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('releases the key when the work throws', async () => {
    const lock = new KeyedLock();
    await expect(
      lock.run('k', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(lock.run('k', async () => 42)).resolves.toBe(42);
  });
});
