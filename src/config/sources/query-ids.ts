/**
 * Shared by source option schemas: configured query ids must be unique,
 * because cursors are kept per query id. Adds one zod issue per duplicate.
 */
import type { z } from 'zod';

export function checkUniqueQueryIds(queries: ReadonlyArray<{ id?: string | undefined }>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  queries.forEach((q, i) => {
    if (q.id === undefined) return;
    if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'id'], message: `duplicate id "${q.id}"` });
    seen.add(q.id);
  });
}
