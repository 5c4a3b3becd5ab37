/**
 * SNS's limits and the sanitisers that keep every field inside them. Pure.
 * Sources: the Publish API reference and the message-attributes guide
 * (Subject ASCII, no line breaks or control characters, under 100
 * characters; attribute names/values non-empty; 256 KB for body, subject and
 * attributes together; FIFO ids up to 128 characters of ASCII 0x21-0x7E).
 */
import { createHash } from 'node:crypto';

export const LIMITS = {
  /** Body, subject and attributes (names, types, values) together, in bytes. */
  messageBytes: 262_144,
  /** Kept back from messageBytes for what we cannot count exactly (SDK serialisation). */
  marginBytes: 2_048,
  subjectChars: 99,
  attributeChars: 256,
  fifoIdChars: 128,
  /** One free-text field of the document (a reason, a timeline entry). */
  fieldChars: 1_000,
  /** Items of one list (services, series, verdict shifts) before the rest are counted, not listed. */
  listItems: 20,
} as const;

/** Cuts to at most `max` code points (never halving a surrogate pair), marking the cut with an ellipsis. */
export function clip(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - Array.from(ellipsis).length)).join('') + ellipsis;
}

/**
 * A Subject SNS accepts: accents folded to ASCII, line breaks and tabs to
 * spaces, any other non-printable or non-ASCII character to '?', at most
 * LIMITS.subjectChars. Never empty.
 */
export function subjectOf(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\r\n\t\v\f]+/g, ' ')
    .replace(/[^\x20-\x7E]/gu, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
  return clip(ascii, LIMITS.subjectChars, '...') || 'Vigil notification';
}

/** A String attribute value: line breaks to spaces, no other control characters, trimmed, clipped, never empty. */
export function attributeValue(text: string): string {
  const clean = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001F\u007F\uFFFE\uFFFF]|\p{Cs}/gu, '')
    .trim();
  return clip(clean, LIMITS.attributeChars) || 'unknown';
}

/**
 * A MessageGroupId / MessageDeduplicationId: other characters become '_';
 * a value still too long becomes its SHA-256 (distinct inputs stay distinct).
 */
export function fifoId(text: string): string {
  const safe = text.replace(/[^\x21-\x7E]/gu, '_');
  if (safe.length > 0 && safe.length <= LIMITS.fifoIdChars) return safe;
  return createHash('sha256').update(text).digest('hex');
}

export const iso = (t: number | null | undefined): string | null =>
  t === null || t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString();

export const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
