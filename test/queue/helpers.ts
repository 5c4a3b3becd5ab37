/** Promise tools for queue tests: wait on events, never on wall-clock time. */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves once `hit()` has been called `n` times. */
export function latch(n: number): { hit(): void; readonly reached: Promise<void> } {
  const d = deferred();
  let count = 0;
  return {
    hit() {
      if (++count === n) d.resolve();
    },
    reached: d.promise,
  };
}
