/**
 * A loopback fake of the Slack Web API for tests: answers auth.test,
 * chat.postMessage, chat.update, conversations.history, usergroups.list and
 * the files.uploadV2 steps, records every call with its decoded arguments, and
 * can answer one call with 429 + Retry-After or act on it but drop the response,
 * or refuse a token (invalid_auth) as Slack does a revoked one. With a socket
 * URL set (fake-socket.ts), apps.connections.open hands it out for Socket Mode.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  readonly method: string;
  readonly args: Record<string, unknown>;
}
interface Message {
  ts: string;
  text: string;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlack {
  readonly apiUrl: string;
  readonly calls: Call[];
  readonly uploads: Array<{ fileId: string; bytes: number }>;
  /** Bodies posted to response URLs (`${base}/respond/...`). */
  readonly responses: Array<Record<string, unknown>>;
  readonly baseUrl: string;
  /** Messages by channel id (top-level and replies). */
  readonly messages: Map<string, Message[]>;
  /** What usergroups.list answers (include_users): push groups to it. */
  readonly usergroups: Array<{ id: string; handle: string; users: string[] }>;
  rateLimitNext(method: string, retryAfter: number): void;
  /** The next call of `method` takes effect, but its connection is closed before any response. */
  dropResponseNext(method: string): void;
  /** Every call made with this bearer token is answered invalid_auth. */
  refuseToken(token: string): void;
  /** What apps.connections.open answers from now on (a loopback ws:// URL). */
  openSocketsAt(url: string): void;
  callsOf(method: string): Call[];
  close(): Promise<void>;
}

const body = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

function decode(raw: Buffer, type: string | undefined): Record<string, unknown> {
  if (type?.includes('application/json')) return JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
    try {
      args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      args[k] = v;
    }
  }
  return args;
}

/** Channel names (#alerts) answer with an id, as Slack does. */
const channelId = (c: unknown) =>
  typeof c === 'string' && c.startsWith('#') ? `C_${c.slice(1).toUpperCase()}` : String(c);

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: Call[] = [];
  const uploads: FakeSlack['uploads'] = [];
  const responses: Array<Record<string, unknown>> = [];
  const messages = new Map<string, Message[]>();
  const usergroups: FakeSlack['usergroups'] = [];
  const limited = new Map<string, number>();
  const refused = new Set<string>();
  const dropped = new Set<string>();
  let seq = 0;
  let base = '';
  let socketUrl: string | null = null;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/respond/')) {
        responses.push(decode(raw, req.headers['content-type']));
        res.writeHead(200).end('ok');
        return;
      }
      if (url.pathname.startsWith('/upload/')) {
        uploads.push({ fileId: url.pathname.slice(8), bytes: raw.length });
        res.writeHead(200).end('OK');
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args = decode(raw, req.headers['content-type']);
      calls.push({ method, args });
      if (refused.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
        return;
      }
      const retryAfter = limited.get(method);
      if (retryAfter !== undefined) {
        limited.delete(method);
        res
          .writeHead(429, { 'retry-after': String(retryAfter), 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const answer = handle(method, args);
      if (dropped.delete(method)) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })();
  });

  function handle(method: string, a: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', url: 'https://fake.slack.com/' };
      case 'chat.postMessage': {
        const channel = channelId(a.channel);
        const ts = `1767700000.${String(++seq).padStart(6, '0')}`;
        const m: Message = {
          ts,
          text: String(a.text ?? ''),
          ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
          ...(a.metadata ? { metadata: a.metadata as Message['metadata'] } : {}),
        };
        messages.set(channel, [...(messages.get(channel) ?? []), m]);
        return { ok: true, channel, ts, message: m };
      }
      case 'chat.update': {
        const m = messages.get(channelId(a.channel))?.find((x) => x.ts === a.ts);
        if (!m) return { ok: false, error: 'message_not_found' };
        m.text = String(a.text ?? '');
        return { ok: true, channel: a.channel, ts: a.ts };
      }
      case 'conversations.history': {
        const oldest = Number(a.oldest ?? 0);
        const list = (messages.get(channelId(a.channel)) ?? []).filter((m) => !m.thread_ts && Number(m.ts) >= oldest);
        return { ok: true, messages: [...list].reverse(), has_more: false };
      }
      case 'usergroups.list':
        return {
          ok: true,
          usergroups: usergroups.map((g) => ({
            ...g,
            users: a.include_users === 'true' || a.include_users === true ? g.users : undefined,
          })),
        };
      case 'apps.connections.open':
        return socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'unknown_method' };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${base}/upload/F${++seq}`, file_id: `F${seq}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: (a.files as Array<{ id: string }>).map((f) => ({ id: f.id })) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    baseUrl: base,
    calls,
    uploads,
    responses,
    messages,
    usergroups,
    rateLimitNext: (m, s) => {
      limited.set(m, s);
    },
    dropResponseNext: (m) => {
      dropped.add(m);
    },
    refuseToken: (t) => {
      refused.add(t);
    },
    openSocketsAt: (u) => {
      socketUrl = u;
    },
    callsOf: (m) => calls.filter((c) => c.method === m),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
