/**
 * NAB timestamps: "YYYY-MM-DD HH:MM:SS" with an optional fraction
 * (labels use ".000000"), always UTC. Pure; returns null when malformed.
 */
const RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

export function parseNabTimestamp(text: string): number | null {
  const m = RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${frac ?? '0'}`) * 1000));
  const b = new Date(ms);
  // Date.UTC rolls over out-of-range fields (Feb 30 -> Mar 2); reject those.
  const same = b.getUTCFullYear() === Number(y) && b.getUTCMonth() === Number(mo) - 1 && b.getUTCDate() === Number(d)
    && b.getUTCHours() === Number(h) && b.getUTCMinutes() === Number(mi) && b.getUTCSeconds() === Number(s);
  return same ? ms : null;
}
