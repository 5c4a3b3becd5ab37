/**
 * A real store whose `method` fails once, as a dropped database connection
 * would (E_STORE_UNAVAILABLE, retryable), for the first call whose first
 * argument `matches`; every other call goes to the store unchanged.
 */
import { VigilError } from '../../src/domain/errors.js';
import type { Store } from '../../src/store/types.js';

export function failingOnce(
  store: Store,
  method: keyof Store,
  matches: (firstArg: unknown) => boolean = () => true,
): Store {
  let failures = 1;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (matches(args[0]) && failures-- > 0)
          throw new VigilError('E_STORE_UNAVAILABLE', 'store: connection terminated', true);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
