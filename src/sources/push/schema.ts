/**
 * The push API's body, checked at the boundary. A bad body is refused whole
 * with the first problem named by its path (e.g. `series[0].points[2].v`).
 */
import { z } from 'zod';

const MIN_T = Date.UTC(2000, 0, 1);
const MAX_T = Date.UTC(2100, 0, 1);

const timestamp = z.union([
  z.number().int().min(MIN_T, 'epoch milliseconds after 2000').max(MAX_T, 'epoch milliseconds before 2100'),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

const name = z.string().min(1).max(200).regex(/^[\w.:/-]+$/, 'letters, digits and _ . : / -');

export const pushBodySchema = z.object({
  series: z.array(z.object({
    metric: name,
    service: name,
    labels: z.record(z.string().min(1).max(100), z.string().max(500)).default({}),
    points: z.array(z.object({ t: timestamp, v: z.number() }).strict()).min(1),
  }).strict()).min(1).max(1000),
}).strict();

export type PushBody = z.output<typeof pushBodySchema>;

/** The first issue as `path: message`, with array indexes in brackets. */
export function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid body';
  const path = issue.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
  const what = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue.message;
  return path ? `${path}: ${what}` : what;
}
