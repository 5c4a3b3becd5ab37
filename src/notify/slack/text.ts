/**
 * Text helpers for Slack's limits. Pure. Lengths are counted in UTF-16 code
 * units (what Slack's limits count); shortening never splits a surrogate
 * pair or a grapheme cluster and ends with an ellipsis.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** `text` if it fits in `max` characters, else as many whole graphemes as fit plus "…". */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return out + '…';
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped, then shortened so the escaped form fits (never cuts inside an entity). */
export function mrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const { segment } of segmenter.segment(text)) {
    const next = escapeMrkdwn(segment);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return out + '…';
}

export const iso = (t: number): string =>
  new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d{3}Z$/, ' UTC');
