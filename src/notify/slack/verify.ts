/**
 * Slack request signatures (v0): HMAC-SHA256 of "v0:<timestamp>:<raw body>"
 * under the signing secret, compared in constant time, and a timestamp
 * within five minutes of now (replay protection). Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

export function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** null when the request is genuine, else why it is not (for the log; the client only sees 401). */
export function verifySignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  nowMs: number,
): string | null {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return 'missing X-Slack-Request-Timestamp or X-Slack-Signature';
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return 'X-Slack-Request-Timestamp is not a number';
  if (Math.abs(nowMs / 1000 - ts) > MAX_SKEW_SECONDS) return 'stale or future timestamp (more than 5 minutes off)';
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}
