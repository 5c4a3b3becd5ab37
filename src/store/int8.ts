/**
 * int8 (bigint) text -> JS number, for both adapters' type parsers. Epoch-ms
 * times and counts fit easily; anything a double cannot hold exactly throws
 * rather than silently rounding.
 */
import { VigilError } from '../domain/errors.js';

export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new VigilError('E_STORE_QUERY', `store: bigint ${text} does not fit a JS number`);
  return n;
}
