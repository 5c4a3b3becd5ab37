/**
 * One HTTPS GET whose body is read as text: how SNS signing certificates
 * are fetched and subscriptions confirmed. Inputs: the URL, optional extra
 * trust (`ca`, tests), a timeout and a body size limit. Effects: one outbound
 * request; redirects are not followed. Failure modes: rejects with
 * E_HTTPS_GET for a non-https URL, a network or TLS error, a status other
 * than 200, a body over the limit, or the timeout (retryable except the first).
 */
import { get } from 'node:https';
import { VigilError } from '../domain/errors.js';

export interface HttpsGetOptions {
  /** Certificates to trust instead of Node's bundled roots (a test CA). */
  readonly ca?: string | Buffer;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export function httpsGetText(url: URL, o: HttpsGetOptions = {}): Promise<string> {
  if (url.protocol !== 'https:') return Promise.reject(new VigilError('E_HTTPS_GET', `${url.origin} is not https`));
  const maxBytes = o.maxBytes ?? 65_536;
  return new Promise((resolve, reject) => {
    const fail = (message: string) =>
      reject(new VigilError('E_HTTPS_GET', `GET ${url.origin}${url.pathname}: ${message}`, true));
    const req = get(url, { ...(o.ca ? { ca: o.ca } : {}), timeout: o.timeoutMs ?? 5000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`status ${res.statusCode ?? 'none'}`);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          fail(`body over ${maxBytes} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => fail(err.message));
    });
    req.on('timeout', () => {
      req.destroy();
      fail('timed out');
    });
    req.on('error', (err) => fail(err.message));
  });
}
