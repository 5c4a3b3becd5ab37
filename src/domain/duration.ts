/** Parses "90s", "15m", "2h", "14d", "1w" (or a bare number of ms) into milliseconds. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text);
  if (!m || m[1] === undefined) return null;
  const ms = Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** Short human form: 90000 -> "1m30s", 7200000 -> "2h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join('');
}
