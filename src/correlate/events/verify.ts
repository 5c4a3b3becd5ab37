/**
 * Request authenticity for change events: bearer tokens and GitHub's
 * `X-Hub-Signature-256` HMAC, both compared in constant time, and a bounded
 * memory of webhook deliveries seen (replay protection).
 * Effects: none beyond the in-memory delivery log. Failure modes: every
 * check answers false rather than throwing; the delivery log forgets the
 * oldest ids beyond its capacity and everything on restart.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A bearer-token check: null when no token is configured (disabled). */
export function bearerCheck(token: string | null): ((header: string | undefined) => boolean) | null {
  if (!token) return null;
  const expected = digest(token);
  return (header) => {
    const given = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    return !!given && timingSafeEqual(digest(given), expected);
  };
}

/** True when `header` is `sha256=<hex HMAC-SHA256(secret, raw)>`. */
export function verifyGithubSignature(secret: string, raw: Buffer, header: string | undefined): boolean {
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header ?? '')?.[1];
  if (!hex) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** Delivery ids seen recently, oldest evicted first (a Map keeps insertion order). */
export class DeliveryLog {
  private readonly seen = new Map<string, true>();
  constructor(private readonly capacity = 10_000) {}

  /** Records `id`; false when it was already recorded (a replay). */
  claim(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.set(id, true);
    while (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
    return true;
  }

  /** Forgets `id` (its processing failed, so a redelivery must be accepted). */
  release(id: string): void { this.seen.delete(id); }

  get size(): number { return this.seen.size; }
}
