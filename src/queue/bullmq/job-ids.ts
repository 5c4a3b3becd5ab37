/**
 * Maps caller job ids to BullMQ job ids and back. BullMQ rejects custom ids
 * that are integers ("42") or contain ':' ("pull:sim:q1"), and numbers its
 * own ids, so every caller id is stored as "c-" + encodeURIComponent(id):
 * never an integer, no ':', and it cannot collide with an automatic id.
 * Pure functions.
 */
const CUSTOM = 'c-';

export function toBullId(jobId: string): string {
  return CUSTOM + encodeURIComponent(jobId);
}

/** The id handlers and listeners see: the caller's id, or BullMQ's own number. */
export function fromBullId(bullId: string | undefined): string {
  if (bullId === undefined) return '';
  return bullId.startsWith(CUSTOM) ? decodeURIComponent(bullId.slice(CUSTOM.length)) : bullId;
}
