/**
 * A loopback Slack Web API for the fault tests: auth.test, chat.postMessage,
 * chat.update, conversations.history and the two files.* upload steps, every
 * call recorded. `rateLimitFor(ms, retryAfterS)` answers every Web API call
 * 429 with Retry-After for that long (a 429 means Slack did nothing, so no
 * message is stored), then serves normally again.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly status: number;
}
export interface SlackMessage {
  readonly ts: string;
  text: string;
  readonly threadTs?: string;
  readonly incidentId?: string;
  updates: number;
}

export interface LoopbackSlack {
  /** notify.slack.apiUrl (ends in /api/). */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  /** Messages that landed, in order (top-level and replies). */
  readonly messages: SlackMessage[];
  rateLimitFor(ms: number, retryAfterS: number): void;
  /** Top-level incident posts (they carry the incident's id in metadata). */
  incidentPosts(): SlackMessage[];
  close(): Promise<void>;
}

async function read(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (String(req.headers['content-type']).includes('json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export async function startLoopbackSlack(): Promise<LoopbackSlack> {
  const calls: SlackCall[] = [];
  const messages: SlackMessage[] = [];
  let limitedUntil = 0;
  let retryAfter = 1;
  let seq = 0;
  let base = '';
  const server = createServer((req, res) => {
    void read(req).then((args) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path.startsWith('/upload/')) {
        res.writeHead(200).end('OK');
        return;
      }
      const method = path.replace(/^\/api\//, '');
      if (Date.now() < limitedUntil) {
        calls.push({ method, args, status: 429 });
        res
          .writeHead(429, { 'retry-after': String(retryAfter), 'content-type': 'application/json' })
          .end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      calls.push({ method, args, status: 200 });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(method, args)));
    });
  });

  function answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const channel = String(a.channel ?? 'C_ALERTS').replace(/^#(.*)$/, (_m, n: string) => `C_${n.toUpperCase()}`);
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };
      case 'chat.postMessage': {
        const ts = `1767700000.${String(++seq).padStart(6, '0')}`;
        const meta = a.metadata as { event_payload?: { incident_id?: string } } | undefined;
        messages.push({
          ts,
          text: String(a.text ?? ''),
          updates: 0,
          ...(a.thread_ts ? { threadTs: String(a.thread_ts) } : {}),
          ...(meta?.event_payload?.incident_id ? { incidentId: meta.event_payload.incident_id } : {}),
        });
        return { ok: true, channel, ts };
      }
      case 'chat.update': {
        const m = messages.find((x) => x.ts === a.ts);
        if (!m) return { ok: false, error: 'message_not_found' };
        m.text = String(a.text ?? '');
        m.updates++;
        return { ok: true, channel, ts: a.ts };
      }
      case 'conversations.history': {
        const list = messages
          .filter((m) => !m.threadTs)
          .reverse()
          .map((m) => ({
            ts: m.ts,
            text: m.text,
            ...(m.incidentId
              ? { metadata: { event_type: 'vigil_incident', event_payload: { incident_id: m.incidentId } } }
              : {}),
          }));
        return { ok: true, messages: list, has_more: false };
      }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}/upload/F${++seq}`, file_id: `F${seq}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: ((a.files as Array<{ id: string }> | undefined) ?? []).map((f) => ({ id: f.id })) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    calls,
    messages,
    rateLimitFor(ms, s) {
      limitedUntil = Date.now() + ms;
      retryAfter = s;
    },
    incidentPosts: () => messages.filter((m) => !m.threadTs && m.incidentId !== undefined),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
