// Bound once: under jest every global lookup (`Math`) goes through the sandbox's Proxy.
const { imul } = Math;

/** 32-bit FNV-1a of a string: a stable, well-spread number for a name (shards, lanes, the simulator's keys). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = imul(h, 0x01000193) >>> 0;
  }
  return h;
}
