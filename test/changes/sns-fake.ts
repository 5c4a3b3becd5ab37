/**
 * A stand-in for SNS's HTTPS side in tests: an RSA key and self-signed
 * certificate made with the openssl CLI, served over HTTPS on 127.0.0.1
 * (the certificate at any path ending in .pem; every GET recorded), and
 * messages signed the way SNS signs them. The signed string is built here
 * from AWS's documentation, independently of the code under test.
 */
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeSns {
  /** PEM of the self-signed certificate: the signing certificate and the TLS CA. */
  readonly cert: string;
  /** https://127.0.0.1:<port> */
  readonly base: string;
  /** Paths (with query) of every GET received, in order. */
  readonly gets: string[];
  sign(fields: Record<string, string>, version?: '1' | '2'): string;
  close(): Promise<void>;
}

export async function startFakeSns(): Promise<FakeSns> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sns-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });

  const gets: string[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    gets.push(req.url ?? '');
    if (req.url?.split('?')[0]?.endsWith('.pem')) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(cert);
      return;
    }
    if (req.url?.startsWith('/confirm')) {
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    cert,
    base: `https://127.0.0.1:${port}`,
    gets,
    sign(fields, version = '1') {
      const order =
        fields.Type === 'Notification'
          ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
          : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
      const text = order
        .filter((k) => fields[k] !== undefined)
        .map((k) => `${k}\n${fields[k]}\n`)
        .join('');
      return sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(text), key).toString('base64');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
