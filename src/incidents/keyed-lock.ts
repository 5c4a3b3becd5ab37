/**
 * Serialises async work per key within one process: the incident lifecycle
 * of one service must not run twice at once (two queries of one service,
 * e.g. two replay files, are pulled concurrently), or one update would
 * overwrite the other. Across processes the open-incident unique index still
 * prevents duplicates; a lost update there is a known limit (docs/architecture.md, Guarantees).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
