/**
 * http.webhook: POSTs a JSON body to an allowlisted host (e.g. a failover
 * switch). Inputs: url (https; plain http only for loopback), body (JSON
 * object; Vigil adds {vigil: {runId, stepId, incidentId, service}}).
 * Effects: one HTTP request, no redirects followed. Failure modes: host not
 * in remediation.webhookHosts (refused before any request), network error,
 * non-2xx: ok=false with the status.
 */
import { z } from 'zod';
import type { Action, ActionContext } from '../types.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const params = z
  .object({
    url: z
      .string()
      .max(2048)
      .refine(
        (u) => {
          try {
            const url = new URL(u);
            return (
              !url.username &&
              !url.password &&
              (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
            );
          } catch {
            return false;
          }
        },
        { message: 'an https:// URL without credentials (http:// only for loopback)' },
      ),
    body: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
type Params = z.output<typeof params>;

const allowed = (url: string, ctx: ActionContext) =>
  ctx.webhookHosts.includes(new URL(url).host) || ctx.webhookHosts.includes(new URL(url).hostname);

export const httpWebhook: Action<Params> = {
  name: 'http.webhook',
  effect: 'write',
  params,
  plan: (p, ctx) => [
    `POST ${p.url} with ${JSON.stringify(p.body)}`,
    ...(allowed(p.url, ctx) ? [] : [`REFUSED when run: ${new URL(p.url).host} is not in remediation.webhookHosts`]),
  ],
  async run(p, ctx) {
    if (!allowed(p.url, ctx))
      return { ok: false, summary: `refused: ${new URL(p.url).host} is not in remediation.webhookHosts` };
    const body = {
      ...p.body,
      vigil: { runId: ctx.runId, stepId: ctx.stepId, incidentId: ctx.incident.id, service: ctx.incident.service },
    };
    try {
      const res = await fetch(p.url, {
        method: 'POST',
        redirect: 'manual',
        signal: ctx.signal,
        headers: { 'content-type': 'application/json', 'idempotency-key': `${ctx.runId}/${ctx.stepId}` },
        body: JSON.stringify(body),
      });
      await res.body?.cancel();
      return { ok: res.ok, summary: `POST ${new URL(p.url).host}${new URL(p.url).pathname}: HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, summary: `POST ${new URL(p.url).host} failed: ${(err as Error).message}` };
    }
  },
};
