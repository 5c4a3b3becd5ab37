/**
 * Timestamp cells of replay CSVs to epoch ms. Accepted: ISO-8601
 * ("2024-01-02T03:04:05Z", offsets, fractions; no zone means UTC),
 * "YYYY-MM-DD HH:MM[:SS[.fff]]" (UTC), "YYYY-MM-DD" (UTC midnight), and
 * epoch numbers: seconds below 1e11, milliseconds from 1e11 up (1e11 s is
 * the year 5138, 1e11 ms is 1973). Pure; returns null for anything else,
 * including impossible dates such as 2023-02-30.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^[+-]?\d+(?:\.\d+)?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Bound once: under jest 30 each global lookup goes through a Proxy, and this runs per row.
const { round } = Math;
const { UTC } = Date;

function offsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (h > 23 || m > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (h * 60 + m) * 60_000;
}

export function parseTimestamp(text: string): number | null {
  if (EPOCH.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n)) return null;
    return round(Math.abs(n) >= 1e11 ? n : n * 1000);
  }
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : (DAYS[mo - 1] ?? 0))) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  const off = offsetMs(m[8]);
  if (off === null) return null;
  const frac = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  return UTC(y, mo - 1, d, h, mi, s) + round(frac) - off;
}
