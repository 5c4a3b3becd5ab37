/**
 * POST /slack/events on Vigil's HTTP server: Events API, slash commands and
 * interactivity all arrive here. Inputs: the raw body and X-Slack-*
 * headers. Effects: verified requests are handed to the Bolt app
 * (app.processEvent) and answered with what the listener acks.
 * Failure modes: 401 for a missing, wrong or stale signature (the reason is
 * logged, not sent); 400 for an unreadable body; 403 while Slack is not
 * configured; 200 with an empty body when a listener never acks.
 */
import type { Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyPluginAsync } from 'fastify';
import type { BoltApp } from './app.js';
import { verifySignature } from './verify.js';

export interface Dispatched {
  readonly status: number;
  readonly body: unknown;
}

/** A Bolt receiver fed by Vigil's own HTTP route instead of a server of its own. */
export class ForwardingReceiver implements Receiver {
  private app: BoltApp | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  init(app: BoltApp): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  /** Waits for listeners still running after their ack (shutdown, tests). */
  async stop(): Promise<void> {
    await this.settled();
  }
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves with the ack's response as soon as a listener acks (Slack wants it within 3 s). */
  dispatch(
    body: Record<string, unknown>,
    retry: { num?: number; reason?: string },
    onError: (err: unknown) => void,
  ): Promise<Dispatched> {
    const app = this.app;
    if (!app) return Promise.resolve({ status: 503, body: { error: 'E_SLACK_NOT_READY' } });
    return new Promise((resolve) => {
      let acked = false;
      const event: ReceiverEvent = {
        body,
        ...(retry.num !== undefined ? { retryNum: retry.num } : {}),
        ...(retry.reason ? { retryReason: retry.reason } : {}),
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          resolve({ status: 200, body: response ?? '' });
        },
      };
      const running = app
        .processEvent(event)
        .then(
          () => {
            if (!acked) resolve({ status: 200, body: '' });
          },
          (err: unknown) => {
            onError(err);
            if (!acked) resolve({ status: 500, body: '' });
          },
        )
        .finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    });
  }
}

export interface SlackRouteOptions {
  /** null while Slack is not configured: the route answers 403. */
  readonly signingSecret: string | null;
  readonly receiver: ForwardingReceiver;
  readonly log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  readonly now?: () => number;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> | null {
  try {
    if (type?.startsWith('application/json')) {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (typeof form.payload === 'string') {
      const v: unknown = JSON.parse(form.payload);
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
    }
    return form;
  } catch {
    return null;
  }
}

export function slackEventsRoute(o: SlackRouteOptions): FastifyPluginAsync {
  return async (app) => {
    // Signatures cover the exact bytes: this route reads bodies as text (this plugin's scope only).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post('/slack/events', async (req, reply) => {
      if (!o.signingSecret)
        return reply.status(403).send({
          error: 'E_SLACK_DISABLED',
          message: 'Slack is not configured (notify.slack.signingSecret / SLACK_SIGNING_SECRET)',
        });
      const raw = typeof req.body === 'string' ? req.body : '';
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const problem = verifySignature(
        o.signingSecret,
        { timestamp: header('x-slack-request-timestamp'), signature: header('x-slack-signature') },
        raw,
        (o.now ?? Date.now)(),
      );
      if (problem) {
        o.log.warn({ reason: problem }, 'Slack request rejected');
        return reply.status(401).send({ error: 'E_SLACK_SIGNATURE', message: 'invalid Slack request signature' });
      }
      const body = parseBody(raw, header('content-type'));
      if (!body) return reply.status(400).send({ error: 'E_SLACK_BODY', message: 'unreadable Slack request body' });
      if (body.type === 'url_verification') return { challenge: body.challenge };
      if (body.ssl_check) return '';
      const retryNum = Number(header('x-slack-retry-num'));
      const result = await o.receiver.dispatch(
        body,
        {
          ...(Number.isInteger(retryNum) ? { num: retryNum } : {}),
          ...(header('x-slack-retry-reason') ? { reason: header('x-slack-retry-reason')! } : {}),
        },
        (err) => o.log.error({ err }, 'Slack event handling failed'),
      );
      if (typeof result.body === 'string') return reply.status(result.status).type('text/plain').send(result.body);
      return reply.status(result.status).send(result.body);
    });
  };
}
