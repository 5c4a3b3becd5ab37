/**
 * What an inbound change or alert event means once checked and mapped: a
 * deployment to store, an alert to record, something Vigil does not track
 * (ignored, with the reason), or a body that is malformed (naming the field).
 * Pure.
 */
import { z } from 'zod';
import { describeIssue, type Deployment, type ExternalEvent } from '../domain/index.js';

export type Mapped =
  | { readonly kind: 'deployment'; readonly deployment: Deployment }
  | { readonly kind: 'alert'; readonly event: ExternalEvent }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly message: string };

/** `"<application>/<group>"` or `"<pipeline>"` (any key) -> service name. */
export type ServiceMap = Readonly<Record<string, string>>;

/** The first issue of `err`, its path prefixed (e.g. `detail.state`, `Message.detail.state`). */
export function invalidAt(prefix: string, err: z.ZodError): Mapped {
  const issue = describeIssue(err);
  const hasPath = (err.issues[0]?.path.length ?? 0) > 0;
  const message = !prefix ? issue : hasPath ? `${prefix}.${issue}` : `${prefix}: ${issue}`;
  return { kind: 'invalid', message };
}

/** Any date-time string Date.parse reads (CloudWatch writes `+0000` zones), as epoch ms. */
export const looseTime = z
  .string()
  .min(1)
  .transform((s, ctx) => {
    const t = Date.parse(s);
    if (!Number.isFinite(t)) {
      ctx.addIssue({ code: 'custom', message: 'a date-time such as 2026-01-05T10:00:00Z' });
      return z.NEVER;
    }
    return t;
  });

export const nonEmpty = z.string().min(1).max(500);
