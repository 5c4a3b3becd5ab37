/**
 * NAB timestamps: "YYYY-MM-DD HH:MM:SS" with an optional fraction
 * (labels use ".000000"), always UTC. Pure arithmetic on char codes (this
 * runs once per row of the corpus); returns null when malformed or out of range.
 */
const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const SHAPE = 'dddd-dd-dd dd:dd:dd';

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = ((yy - (yy < 0 ? 399 : 0)) / 400) | 0;
  const yoe = yy - era * 400;
  const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

/** Digits of text[from, to) as an integer, or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function parseNabTimestamp(text: string): number | null {
  if (text.length < 19) return null;
  for (let i = 0; i < 19; i++) if (SHAPE[i] !== 'd' && text[i] !== SHAPE[i]) return null;
  const y = digits(text, 0, 4),
    mo = digits(text, 5, 7),
    d = digits(text, 8, 10);
  const h = digits(text, 11, 13),
    mi = digits(text, 14, 16),
    s = digits(text, 17, 19);
  let ms = 0;
  if (text.length > 19) {
    const frac = text.length - 20;
    if (text[19] !== '.' || frac < 1 || frac > 9 || digits(text, 20, text.length) < 0) return null;
    ms = digits(text, 20, Math.min(text.length, 23)) * 10 ** (3 - Math.min(frac, 3));
  }
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  if (d > (mo === 2 && isLeap(y) ? 29 : (MONTH_DAYS[mo - 1] as number))) return null;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}
