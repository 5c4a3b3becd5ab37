/**
 * Pieces shared by the inbound API bodies (push, deployments): timestamps,
 * names, and the one-line description of the first problem in a body.
 * Here, not in http/, because sources/push and changes/ validate
 * bodies and http/ only serves. Pure.
 */
import { z } from 'zod';

const MIN_T = Date.UTC(2000, 0, 1);
const MAX_T = Date.UTC(2100, 0, 1);

/** Epoch milliseconds or ISO-8601 with a zone, as epoch milliseconds. */
export const timestampSchema = z.union([
  z.number().int().min(MIN_T, 'epoch milliseconds after 2000').max(MAX_T, 'epoch milliseconds before 2100'),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

/** Service and metric names: short, no spaces or quotes. */
export const nameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:/-]+$/, 'letters, digits and _ . : / -');

/** The first issue as `path: message`, with array indexes in brackets (`series[0].points[2].v`). */
export function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid body';
  const path = issue.path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
  const what = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
  return path ? `${path}: ${what}` : what;
}
