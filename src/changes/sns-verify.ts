/**
 * SNS message signatures, checked as AWS documents: the signing certificate
 * must come from an https URL on an SNS host, and its public key must verify
 * `Signature` over the signed string (version 1 SHA1withRSA, version 2
 * SHA256withRSA). Inputs: a parsed envelope. Effects: fetches each signing
 * certificate once (cached by URL, failures not cached).
 * Failure modes: answers a verdict instead of throwing: 'untrusted-url'
 * (nothing fetched), 'unavailable' (the certificate could not be fetched:
 * worth a retry by the sender), 'bad-certificate', 'bad-signature'.
 */
import { X509Certificate, verify } from 'node:crypto';
import { VigilError } from '../domain/errors.js';
import { snsStringToSign, type SnsMessage } from './sns-message.js';

/** Hosts SNS serves certificates and subscription URLs from (all regions, incl. China). */
export const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export type SnsVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'untrusted-url' | 'unavailable' | 'bad-certificate' | 'bad-signature';
      readonly message: string;
    };

export interface SnsVerifierOptions {
  /** Hosts a SigningCertURL may name. */
  readonly hosts: RegExp;
  /** GETs a trusted https URL as text (called only after the host check). */
  readonly fetchText: (url: URL) => Promise<string>;
  readonly now: () => number;
  /** Certificates kept; the oldest is dropped beyond this. */
  readonly cacheSize?: number;
}

/** The URL when it is https on a trusted host with no credentials in it; else null. */
export function trustedUrl(text: string, hosts: RegExp): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  return hosts.test(url.hostname) ? url : null;
}

function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new VigilError('E_SNS_CERTIFICATE', 'not an X.509 certificate', false, { cause: err });
  }
}

export function snsVerifier(o: SnsVerifierOptions): (m: SnsMessage) => Promise<SnsVerdict> {
  const cache = new Map<string, Promise<X509Certificate>>();
  const cacheSize = o.cacheSize ?? 32;

  function certificate(url: URL): Promise<X509Certificate> {
    const key = url.href;
    const cached = cache.get(key);
    if (cached) return cached;
    const loading = o.fetchText(url).then(parseCertificate);
    cache.set(key, loading);
    loading.catch(() => cache.delete(key));
    while (cache.size > cacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done) break;
      cache.delete(oldest.value);
    }
    return loading;
  }

  return async (m) => {
    const url = trustedUrl(m.SigningCertURL, o.hosts);
    if (!url) return { ok: false, reason: 'untrusted-url', message: 'SigningCertURL: not an https URL on an SNS host' };
    let cert: X509Certificate;
    try {
      cert = await certificate(url);
    } catch (err) {
      return err instanceof VigilError && err.code === 'E_SNS_CERTIFICATE'
        ? { ok: false, reason: 'bad-certificate', message: 'SigningCertURL: not an X.509 certificate' }
        : { ok: false, reason: 'unavailable', message: `signing certificate unavailable: ${(err as Error).message}` };
    }
    const now = o.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
      return { ok: false, reason: 'bad-certificate', message: 'signing certificate is expired or not yet valid' };
    }
    const algorithm = m.SignatureVersion === '1' ? 'sha1' : 'sha256';
    let good = false;
    try {
      good = verify(
        algorithm,
        Buffer.from(snsStringToSign(m), 'utf8'),
        cert.publicKey,
        Buffer.from(m.Signature, 'base64'),
      );
    } catch {
      good = false;
    }
    return good
      ? { ok: true }
      : {
          ok: false,
          reason: 'bad-signature',
          message: `Signature: does not verify (SignatureVersion ${m.SignatureVersion})`,
        };
  };
}
