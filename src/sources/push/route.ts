/**
 * POST /api/v1/metrics: token-authenticated metric push (fastify plugin).
 * Answers 202 {accepted, duplicates, series}: every accepted point will be
 * scored exactly once, and duplicates (points re-sent at a time already
 * accepted) are ignored, so a client may retry a request safely. 401 for a
 * missing or wrong bearer token (compared in constant time); 403 when push is
 * not enabled; 400 naming the first bad field; 409 E_PUSH_LATE when a point is
 * older than its series' newest accepted one (store/sql/pushed.ts); 413 for a
 * body over the server's limit or more than `maxPoints` points; 503 with
 * Retry-After when the store is unavailable (the server's error handler).
 * A request is stored whole or not at all.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { seriesKey, type Series } from '../../domain/index.js';
import { VigilError } from '../../domain/errors.js';
import type { PushedPointStore } from '../../store/types.js';
import { describeIssue, pushBodySchema } from './schema.js';

export interface PushRouteOptions {
  readonly store: PushedPointStore;
  /** null disables the endpoint (403). */
  readonly token: string | null;
  readonly maxPoints?: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function pushRoutes(o: PushRouteOptions): FastifyPluginAsync {
  const expected = o.token ? digest(o.token) : null;
  const maxPoints = o.maxPoints ?? 50_000;
  return async (app) => {
    app.post('/api/v1/metrics', async (req, reply) => {
      if (!expected)
        return reply.status(403).send({
          error: 'E_PUSH_DISABLED',
          message: 'metric push is disabled: set VIGIL_PUSH_TOKEN (push.token) to enable it',
        });
      const header = req.headers.authorization ?? '';
      const given = /^Bearer (.+)$/.exec(header)?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        return reply.status(401).send({ error: 'E_PUSH_AUTH', message: 'missing or wrong bearer token' });
      }
      const parsed = pushBodySchema.safeParse(req.body);
      if (!parsed.success)
        return reply.status(400).send({ error: 'E_PUSH_INVALID', message: describeIssue(parsed.error) });
      const total = parsed.data.series.reduce((n, s) => n + s.points.length, 0);
      if (total > maxPoints)
        return reply
          .status(413)
          .send({ error: 'E_PUSH_TOO_LARGE', message: `${total} points in one request; at most ${maxPoints}` });
      const series: Series[] = parsed.data.series.map((s) => {
        const labels = { ...s.labels, service: s.service };
        const byT = new Map(s.points.map((p) => [p.t, p.v]));
        return {
          ref: {
            key: seriesKey('push', s.metric, labels),
            source: 'push',
            metric: s.metric,
            service: s.service,
            labels,
          },
          points: [...byT].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v })),
        };
      });
      try {
        const { accepted, duplicates } = await o.store.insertPushedPoints(series, 'push');
        return reply.status(202).send({ accepted, duplicates, series: series.length });
      } catch (err) {
        if (err instanceof VigilError && err.code === 'E_PUSH_LATE')
          return reply.status(409).send({ error: err.code, message: err.message });
        throw err;
      }
    });
  };
}
