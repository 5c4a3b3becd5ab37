/**
 * The Slack bot as Vigil runs it: in HTTP mode a Bolt app fed by the
 * /slack/events route of Vigil's server; in Socket Mode (app token given)
 * a Bolt app that connects out to Slack. Effects: start() connects Socket
 * Mode; stop() disconnects it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { createBoltApp, type BoltApp, type BotDeps, type SlackIdentity } from './app.js';
import { ForwardingReceiver, slackEventsRoute } from './receiver.js';

export interface SlackBotOptions {
  readonly token: string;
  readonly signingSecret: string | null;
  /** Socket Mode when set. */
  readonly appToken?: string | null;
  readonly apiUrl?: string;
  /** The bot's ids from auth.test (identify.ts looks them up once); null: Bolt asks per event. */
  readonly identity?: SlackIdentity | null;
}

export interface SlackBot {
  readonly app: BoltApp;
  /** The fastify plugin serving POST /slack/events (HTTP mode), else null. */
  readonly routes: FastifyPluginAsync | null;
  readonly socketMode: boolean;
  start(): Promise<void>;
  /** Disconnects Socket Mode; in HTTP mode waits for listeners still running. */
  stop(): Promise<void>;
  /** Resolves when no listener is running (HTTP mode; tests). */
  settled(): Promise<void>;
}

export function createSlackBot(o: SlackBotOptions, d: BotDeps): SlackBot {
  if (o.appToken) {
    const app = createBoltApp(
      { token: o.token, appToken: o.appToken, identity: o.identity ?? null, ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}) },
      d,
    );
    return {
      app,
      routes: null,
      socketMode: true,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
      settled: async () => {},
    };
  }
  const receiver = new ForwardingReceiver();
  const app = createBoltApp(
    { token: o.token, receiver, identity: o.identity ?? null, ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}) },
    d,
  );
  return {
    app,
    socketMode: false,
    routes: slackEventsRoute({ signingSecret: o.signingSecret, receiver, log: d.log }),
    start: async () => {},
    stop: () => receiver.stop(),
    settled: () => receiver.settled(),
  };
}
