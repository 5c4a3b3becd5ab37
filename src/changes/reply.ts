/**
 * Pieces every change-event route shares: raw-body parsing and failure
 * answers for a plugin's own routes, header reading, `{error, message}`
 * refusals, and claiming a webhook delivery around its handling.
 * Effects: only withDelivery writes (claim, and release on failure).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError, type VigilErrorCode } from '../domain/errors.js';
import type { DeliveryStore } from '../store/types.js';

/** Makes every body of `app`'s routes a Buffer, whatever its content type (for signatures and our own errors). */
export function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/**
 * A failure while handling (the store) is never the sender's fault: 503 when
 * trying again can help (the sender retries), else 500; the details go to the
 * log only. Fastify's own errors (413, ...) go on to the server's handler.
 */
export function answerFailures(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    if (!(err instanceof VigilError)) throw err;
    req.log.error({ err }, 'webhook handling failed');
    return reply
      .status(err.retryable ? 503 : 500)
      .send({ error: err.code, message: err.retryable ? 'temporarily unavailable: retry later' : 'internal error' });
  });
}

export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function refuse(reply: FastifyReply, status: number, error: VigilErrorCode, message: string): FastifyReply {
  return reply.status(status).send({ error, message });
}

/** The JSON in `raw`, or undefined when it is not JSON. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Runs `handle` once per (source, id): a delivery already claimed answers 409
 * `code`. A handling that throws or answers >= 300 releases the claim, so the
 * sender's redelivery is accepted.
 */
export async function withDelivery(
  deliveries: DeliveryStore,
  delivery: { source: string; id: string; at: number; code: VigilErrorCode },
  reply: FastifyReply,
  handle: () => Promise<void>,
): Promise<FastifyReply> {
  if (!(await deliveries.claimDelivery(delivery.source, delivery.id, delivery.at))) {
    return refuse(reply, 409, delivery.code, `${delivery.source} delivery ${delivery.id} was already received`);
  }
  try {
    await handle();
  } catch (err) {
    await deliveries.releaseDelivery(delivery.source, delivery.id);
    throw err;
  }
  if (reply.statusCode >= 300) await deliveries.releaseDelivery(delivery.source, delivery.id);
  return reply;
}
