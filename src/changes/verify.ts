/**
 * Request authenticity for change events: bearer tokens and GitHub's
 * `X-Hub-Signature-256` HMAC, both compared in constant time. Pure.
 * Failure modes: every check answers false rather than throwing. Replay
 * protection is the store's delivery log (DeliveryStore, reply.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time check of a shared secret: null when none is configured (disabled). */
export function secretCheck(secret: string | null): ((given: string | undefined) => boolean) | null {
  if (!secret) return null;
  const expected = digest(secret);
  return (given) => !!given && timingSafeEqual(digest(given), expected);
}

/** A bearer-token check (`Authorization: Bearer <token>`): null when no token is configured (disabled). */
export function bearerCheck(token: string | null): ((header: string | undefined) => boolean) | null {
  const check = secretCheck(token);
  return check && ((header) => check(/^Bearer (.+)$/.exec(header ?? '')?.[1]));
}

/** True when `header` is `sha256=<hex HMAC-SHA256(secret, raw)>`. */
export function verifyGithubSignature(secret: string, raw: Buffer, header: string | undefined): boolean {
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header ?? '')?.[1];
  if (!hex) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
