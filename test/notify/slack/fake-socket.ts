/**
 * A loopback Socket Mode endpoint for tests, on a real WebSocket server
 * (ws): greets each connection with `hello` as Slack does, sends envelopes
 * the test hands it, and records what the client sends back (its acks).
 * Pair it with fake-slack.ts's openSocketsAt so apps.connections.open
 * hands out this URL.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeSocket {
  readonly url: string;
  /** Every JSON message a client sent, in order. */
  readonly received: Array<Record<string, unknown>>;
  /** Resolves once a client is connected and greeted. */
  connected(): Promise<void>;
  /** Sends an envelope to the connected client. */
  send(envelope: Record<string, unknown>): void;
  /** Resolves with the client's ack of `envelopeId`. */
  ackOf(envelopeId: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFakeSocket(): Promise<FakeSocket> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const received: Array<Record<string, unknown>> = [];
  const waiting: Array<() => void> = [];
  let client: WebSocket | null = null;
  let greeted: () => void = () => {};
  const hello = new Promise<void>((r) => {
    greeted = r;
  });
  server.on('connection', (ws) => {
    client = ws;
    ws.on('message', (data) => {
      received.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const w of waiting.splice(0)) w();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A_TEST' },
        debug_info: { host: 'fake' },
      }),
    );
    greeted();
  });
  const ackOf = async (id: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = received.find((m) => m.envelope_id === id);
      if (found) return found;
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`,
    received,
    connected: () => hello,
    send: (envelope) => {
      if (!client) throw new Error('no Socket Mode client is connected');
      client.send(JSON.stringify(envelope));
    },
    ackOf,
    close: () =>
      new Promise((r) => {
        for (const c of server.clients) c.terminate();
        server.close(() => r());
      }),
  };
}
