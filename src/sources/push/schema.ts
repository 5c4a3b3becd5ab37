/**
 * The push API's body, checked at the boundary. A bad body is refused whole
 * with the first problem named by its path (e.g. `series[0].points[2].v`).
 */
import { z } from 'zod';
import { describeIssue, nameSchema, timestampSchema } from '../../domain/index.js';

const timestamp = timestampSchema;
const name = nameSchema;

export const pushBodySchema = z
  .object({
    series: z
      .array(
        z
          .object({
            metric: name,
            service: name,
            labels: z.record(z.string().min(1).max(100), z.string().max(500)).default({}),
            points: z.array(z.object({ t: timestamp, v: z.number() }).strict()).min(1),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export type PushBody = z.output<typeof pushBodySchema>;

export { describeIssue };
