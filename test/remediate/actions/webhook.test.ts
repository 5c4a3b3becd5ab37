/** http.webhook over real HTTP on loopback: allowlist, body, idempotency header, failures. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACTIONS } from '../../../src/remediate/actions/index.js';
import { ctx } from '../helpers.js';

const a = ACTIONS['http.webhook'];
let server: Server;
let host = '';
let status = 200;
const received: Array<{ url: string; headers: IncomingMessage['headers']; body: unknown }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      res.statusCode = status;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received.length = 0;
  status = 200;
});

describe('http.webhook', () => {
  it('POSTs the body plus the run and incident to an allowlisted host', async () => {
    const r = await a.run(
      a.params.parse({ url: `http://${host}/v1/failover`, body: { action: 'failover' } }),
      ctx({ webhookHosts: [host] }),
    );
    expect(r).toMatchObject({ ok: true, summary: expect.stringContaining('HTTP 200') });
    expect(received).toEqual([
      {
        url: '/v1/failover',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'idempotency-key': 'run-1/step-1' }),
        body: {
          action: 'failover',
          vigil: { runId: 'run-1', stepId: 'step-1', incidentId: 'inc-1', service: 'checkout' },
        },
      },
    ]);
  });

  it('refuses a host not on the allowlist without sending anything', async () => {
    const r = await a.run(a.params.parse({ url: `http://${host}/x` }), ctx({ webhookHosts: ['other.example.com'] }));
    expect(r).toEqual({ ok: false, summary: expect.stringContaining('not in remediation.webhookHosts') });
    expect(received).toHaveLength(0);
  });

  it('a non-2xx answer is a failed result', async () => {
    status = 503;
    const r = await a.run(a.params.parse({ url: `http://${host}/x` }), ctx({ webhookHosts: [host] }));
    expect(r).toMatchObject({ ok: false, summary: expect.stringContaining('HTTP 503') });
  });

  it('refuses plain http to a remote host, credentials in the URL, and non-URLs', () => {
    for (const url of [
      'http://example.com/x',
      'https://u:p@example.com/x',
      'file:///etc/passwd',
      '; rm -rf /',
      'javascript:alert(1)',
    ]) {
      expect(a.params.safeParse({ url }).success).toBe(false);
    }
    expect(a.params.safeParse({ url: 'https://traffic.example.com/v1/failover' }).success).toBe(true);
  });
});
